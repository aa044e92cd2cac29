namespace Metrics;

/// <summary>
/// Estimates a quantile from a native histogram the way Prometheus 2.42's <c>histogram_quantile</c> does for
/// native histograms (<c>histogramQuantile</c> in <c>promql/quantile.go</c> of that release).
/// </summary>
/// <remarks>
/// <para>
/// The buckets are walked from the most negative up: negative buckets (the one next to the zero bucket ending at
/// <c>-zero_threshold</c>), the zero bucket <c>[-zero_threshold, zero_threshold]</c> if it holds anything, then the
/// positive buckets (the first starting at <c>zero_threshold</c>). The walk stops at the first bucket where the
/// running count reaches <c>q × count</c>, and the result is interpolated linearly inside it. When that bucket is
/// the zero bucket and the histogram has buckets on one side only, the other half of the zero bucket is dropped
/// (its bound becomes 0). Below 0, <c>q</c> gives <c>-Inf</c>; above 1, <c>+Inf</c>; an empty histogram or a NaN
/// <c>q</c> gives NaN.
/// </para>
/// <para>
/// Later Prometheus releases (3.x) interpolate exponentially inside a bucket whose bounds have the same sign, and
/// count from the top for <c>q</c> above 0.5. This follows 2.42, the server the interop tests run; the difference is
/// at most the width of the bucket the quantile falls in.
/// </para>
/// </remarks>
internal static class NativeHistogramQuantile
{
    /// <summary>The estimate of the <paramref name="q"/>-quantile of <paramref name="histogram"/>.</summary>
    public static double Estimate(double q, NativeHistogramSnapshot histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        if (q < 0)
        {
            return double.NegativeInfinity;
        }

        if (q > 1)
        {
            return double.PositiveInfinity;
        }

        if (histogram.Count == 0 || double.IsNaN(q))
        {
            return double.NaN;
        }

        var total = (double)histogram.Count;
        var rank = q * total;
        FindBucket(histogram, rank, out var lower, out var upper, out var bucketCount, out var cumulative);
        if (lower < 0 && upper > 0)
        {
            if (histogram.NegativeBuckets.IsEmpty && !histogram.PositiveBuckets.IsEmpty)
            {
                lower = 0;
            }
            else if (histogram.PositiveBuckets.IsEmpty && !histogram.NegativeBuckets.IsEmpty)
            {
                upper = 0;
            }
        }

        cumulative = Math.Min(cumulative, total);
        if (cumulative < rank)
        {
            return upper;
        }

        rank -= cumulative - bucketCount;
        return lower + ((upper - lower) * (rank / bucketCount));
    }

    /// <summary>
    /// Walks the buckets in Prometheus's order until the running count reaches <paramref name="rank"/>, and gives
    /// the bounds and count of the bucket where it stopped (the last bucket if it never did) and the running count there.
    /// </summary>
    private static void FindBucket(
        NativeHistogramSnapshot histogram, double rank, out double lower, out double upper, out double bucketCount, out double cumulative)
    {
        var schema = histogram.Schema;
        var threshold = histogram.ZeroThreshold;
        (lower, upper, bucketCount, cumulative) = (0, 0, 0, 0);
        var negative = histogram.NegativeBuckets;
        for (var i = negative.Length - 1; i >= 0; i--)
        {
            lower = -NativeHistogramSchema.UpperBound(negative[i].Index, schema);
            upper = Math.Min(-NativeHistogramSchema.LowerBound(negative[i].Index, schema), -threshold);
            bucketCount = negative[i].Count;
            cumulative += bucketCount;
            if (cumulative >= rank)
            {
                return;
            }
        }

        if (histogram.ZeroCount > 0)
        {
            (lower, upper, bucketCount) = (-threshold, threshold, histogram.ZeroCount);
            cumulative += bucketCount;
            if (cumulative >= rank)
            {
                return;
            }
        }

        foreach (var bucket in histogram.PositiveBuckets)
        {
            lower = Math.Max(NativeHistogramSchema.LowerBound(bucket.Index, schema), threshold);
            upper = NativeHistogramSchema.UpperBound(bucket.Index, schema);
            bucketCount = bucket.Count;
            cumulative += bucketCount;
            if (cumulative >= rank)
            {
                return;
            }
        }
    }
}
