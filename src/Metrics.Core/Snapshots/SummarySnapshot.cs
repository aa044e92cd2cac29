using System.Globalization;

namespace Metrics;

/// <summary>An immutable copy of one summary series: its quantile estimates over the window, and its count and sum.</summary>
public sealed class SummarySnapshot
{
    private readonly double[] _quantiles;
    private readonly double[] _values;

    internal SummarySnapshot(double[] quantiles, double[] values, long count, double sum)
    {
        _quantiles = quantiles;
        _values = values;
        Count = count;
        Sum = sum;
    }

    /// <summary>The estimated quantiles, in increasing order.</summary>
    public IReadOnlyList<double> Quantiles => _quantiles;

    /// <summary>The estimate of each quantile, in the order of <see cref="Quantiles"/>; NaN while the window is empty.</summary>
    public IReadOnlyList<double> Values => _values;

    /// <summary>How many observations there were, ever.</summary>
    public long Count { get; }

    /// <summary>The sum of all observations.</summary>
    public double Sum { get; }

    /// <summary>The estimate of <paramref name="quantile"/>, which must be one of <see cref="Quantiles"/>.</summary>
    /// <exception cref="ArgumentException">The summary does not estimate <paramref name="quantile"/>.</exception>
    public double ValueOf(double quantile)
    {
        var index = Array.IndexOf(_quantiles, quantile);
        return index >= 0
            ? _values[index]
            : throw new ArgumentException(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"The summary does not estimate quantile {quantile}; it estimates [{string.Join(", ", Array.ConvertAll(_quantiles, static q => q.ToString(CultureInfo.InvariantCulture)))}]."),
                nameof(quantile));
    }
}
