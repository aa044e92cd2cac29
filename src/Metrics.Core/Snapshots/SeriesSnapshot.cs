using System.Diagnostics.CodeAnalysis;

namespace Metrics;

/// <summary>An immutable copy of one series.</summary>
public sealed class SeriesSnapshot
{
    private readonly IReadOnlyList<string> _labelNames;

    internal SeriesSnapshot(
        IReadOnlyList<string> labelNames, IReadOnlyList<string> labelValues, double value, HistogramSnapshot? histogram = null, SummarySnapshot? summary = null)
    {
        _labelNames = labelNames;
        LabelValues = labelValues;
        Value = value;
        Histogram = histogram;
        Summary = summary;
    }

    /// <summary>The label values, in label-name order.</summary>
    public IReadOnlyList<string> LabelValues { get; }

    /// <summary>The counter total or gauge value; for a histogram or summary, its count.</summary>
    public double Value { get; }

    /// <summary>The buckets, count and sum of a histogram series; null for other types.</summary>
    public HistogramSnapshot? Histogram { get; }

    /// <summary>The quantile estimates, count and sum of a summary series; null for other types.</summary>
    public SummarySnapshot? Summary { get; }

    /// <summary>The value of the label named <paramref name="labelName"/> (ordinal); see <see cref="TryGetLabelValue"/>.</summary>
    /// <exception cref="KeyNotFoundException">The series has no label of that name.</exception>
    public string this[string labelName] =>
        TryGetLabelValue(labelName, out var value)
            ? value
            : throw new KeyNotFoundException($"The series has no label '{labelName}'; its labels are [{string.Join(", ", _labelNames)}].");

    /// <summary>
    /// Looks up the value of the label named <paramref name="labelName"/> (ordinal), the family's own labels and the
    /// registry's constant labels alike, without allocating.
    /// </summary>
    /// <returns>Whether the series has such a label; when not, <paramref name="value"/> is null.</returns>
    public bool TryGetLabelValue(string labelName, [NotNullWhen(true)] out string? value)
    {
        ArgumentNullException.ThrowIfNull(labelName);
        for (var i = 0; i < _labelNames.Count; i++)
        {
            if (string.Equals(_labelNames[i], labelName, StringComparison.Ordinal))
            {
                value = LabelValues[i];
                return true;
            }
        }

        value = null;
        return false;
    }
}
