namespace Metrics;

/// <summary>An immutable, self-consistent copy of one histogram series: <see cref="Count"/> always equals the last cumulative count.</summary>
public sealed class HistogramSnapshot
{
    private readonly double[] _upperBounds;
    private readonly long[] _cumulativeCounts;
    private readonly NativeHistogramSnapshot? _native;

    internal HistogramSnapshot(double[] upperBounds, long[] cumulativeCounts, double sum, NativeHistogramSnapshot? native = null)
    {
        _upperBounds = upperBounds;
        _cumulativeCounts = cumulativeCounts;
        Sum = sum;
        _native = native;
    }

    /// <summary>The bucket upper bounds in increasing order, ending with <see cref="double.PositiveInfinity"/>.</summary>
    public IReadOnlyList<double> UpperBounds => _upperBounds;

    /// <summary>For each bound, how many observations were less than or equal to it.</summary>
    public IReadOnlyList<long> CumulativeCounts => _cumulativeCounts;

    /// <summary>How many observations there were: the <c>+Inf</c> bucket.</summary>
    public long Count => _cumulativeCounts[^1];

    /// <summary>The sum of the observations.</summary>
    public double Sum { get; }

    /// <summary>
    /// Estimates the <paramref name="q"/>-quantile exactly as PromQL's <c>histogram_quantile</c> does on these buckets:
    /// linear interpolation inside the bucket that holds the rank, a lower bound of 0 for the first bucket when its
    /// upper bound is positive, and the highest finite bound when the rank falls in <c>+Inf</c>. For a native
    /// histogram without classic buckets, it estimates from the native buckets, as <c>histogram_quantile</c> does
    /// for native histograms (Prometheus 2.42: linear interpolation inside the native bucket that holds the rank).
    /// </summary>
    /// <returns>NaN for an empty histogram or a NaN <paramref name="q"/>; -Inf below 0 and +Inf above 1, as PromQL.</returns>
    public double Quantile(double q) =>
        _native is null ? QuantileOf(q, _upperBounds, _cumulativeCounts) : NativeHistogramQuantile.Estimate(q, _native);

    /// <summary>
    /// <see cref="Quantile(double)"/> over any cumulative bucket counts with these <paramref name="upperBounds"/>, such
    /// as the increase of a histogram between two points in time, so windowed quantiles share its semantics exactly.
    /// </summary>
    // Allocates nothing: the history sampler calls it for every point of every windowed histogram.
    internal static double QuantileOf(double q, ReadOnlySpan<double> upperBounds, ReadOnlySpan<long> cumulativeCounts)
    {
        if (double.IsNaN(q))
        {
            return double.NaN;
        }

        if (q < 0)
        {
            return double.NegativeInfinity;
        }

        if (q > 1)
        {
            return double.PositiveInfinity;
        }

        // As PromQL, fewer than two buckets (the +Inf bucket alone) give NaN.
        var observations = cumulativeCounts[^1];
        if (observations == 0 || cumulativeCounts.Length < 2)
        {
            return double.NaN;
        }

        var rank = q * observations;
        var bucket = 0;
        while (bucket < cumulativeCounts.Length - 1 && cumulativeCounts[bucket] < rank)
        {
            bucket++;
        }

        if (bucket == cumulativeCounts.Length - 1)
        {
            return upperBounds[^2];
        }

        if (bucket == 0 && upperBounds[0] <= 0)
        {
            return upperBounds[0];
        }

        var bucketStart = 0.0;
        var bucketEnd = upperBounds[bucket];
        double bucketCount = cumulativeCounts[bucket];
        if (bucket > 0)
        {
            bucketStart = upperBounds[bucket - 1];
            bucketCount -= cumulativeCounts[bucket - 1];
            rank -= cumulativeCounts[bucket - 1];
        }

        return bucketStart + ((bucketEnd - bucketStart) * (rank / bucketCount));
    }

    /// <summary>
    /// Adds histograms that share their bucket bounds, as PromQL's <c>sum by (le)</c> does, so that
    /// <see cref="Quantile"/> of the result estimates across all of them: for example one model's latency over every
    /// provider that served it. Native-only histograms add as PromQL's <c>sum</c> adds native histograms: at the
    /// coarsest schema among them, with the widest zero bucket, which takes every bucket below its threshold.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="histograms"/> is empty, or their bucket bounds differ.</exception>
    public static HistogramSnapshot Add(IReadOnlyList<HistogramSnapshot> histograms)
    {
        ArgumentNullException.ThrowIfNull(histograms);
        if (histograms.Count == 0)
        {
            throw new ArgumentException("Adding histograms needs at least one histogram.", nameof(histograms));
        }

        var first = histograms[0];
        var counts = new long[first.CumulativeCounts.Count];
        var sum = 0.0;
        foreach (var histogram in histograms)
        {
            if (!histogram.UpperBounds.SequenceEqual(first.UpperBounds))
            {
                throw new ArgumentException(
                    $"Only histograms with the same bucket bounds can be added: [{Bounds(first)}] differs from [{Bounds(histogram)}].",
                    nameof(histograms));
            }

            for (var i = 0; i < counts.Length; i++)
            {
                counts[i] += histogram.CumulativeCounts[i];
            }

            sum += histogram.Sum;
        }

        return new HistogramSnapshot([.. first.UpperBounds], counts, sum, AddNative(histograms));
    }

    /// <summary>The sum of the native buckets when every histogram has them; null otherwise.</summary>
    private static NativeHistogramSnapshot? AddNative(IReadOnlyList<HistogramSnapshot> histograms)
    {
        var parts = new NativeHistogramSnapshot[histograms.Count];
        for (var i = 0; i < parts.Length; i++)
        {
            if (histograms[i]._native is not { } native)
            {
                return null;
            }

            parts[i] = native;
        }

        var total = new NativeHistogramSnapshot();
        NativeHistogramSum.Of(parts, total);
        return total;
    }

    private static string Bounds(HistogramSnapshot histogram) =>
        string.Join(", ", histogram.UpperBounds.Select(static bound => bound.ToString(System.Globalization.CultureInfo.InvariantCulture)));
}
