namespace Metrics;

/// <summary>An immutable, self-consistent copy of one histogram series: <see cref="Count"/> always equals the last cumulative count.</summary>
public sealed class HistogramSnapshot
{
    private HistogramSnapshot(double[] upperBounds, long[] cumulativeCounts, double sum)
    {
        UpperBounds = upperBounds;
        CumulativeCounts = cumulativeCounts;
        Sum = sum;
    }

    /// <summary>The bucket upper bounds in increasing order, ending with <see cref="double.PositiveInfinity"/>.</summary>
    public IReadOnlyList<double> UpperBounds { get; }

    /// <summary>For each bound, how many observations were less than or equal to it.</summary>
    public IReadOnlyList<long> CumulativeCounts { get; }

    /// <summary>How many observations there were: the <c>+Inf</c> bucket.</summary>
    public long Count => CumulativeCounts[^1];

    /// <summary>The sum of the observations.</summary>
    public double Sum { get; }

    internal static HistogramSnapshot Create(Histogram histogram)
    {
        var counts = new long[histogram.BucketCount];
        var sum = histogram.Read(counts);
        double[] bounds = [.. histogram.UpperBounds, double.PositiveInfinity];
        return new HistogramSnapshot(bounds, counts, sum);
    }
}
