namespace Metrics;

/// <summary>
/// The raw cumulative values of one series at each point of the ring, in flat arrays indexed by slot (sequence modulo
/// capacity): no object per point. <see cref="Values"/> is NaN where the series was absent.
/// </summary>
internal sealed class SeriesTrack
{
    public SeriesTrack(MetricSeries series, int capacity, int bucketCount, int nativeMaxBuckets, long firstSequence, bool hasSums, bool countsFromZero)
    {
        Series = series;
        BucketCount = bucketCount;
        FirstSequence = firstSequence;
        Values = new double[capacity];
        Array.Fill(Values, double.NaN);
        if (hasSums)
        {
            Sums = new double[capacity];
        }

        if (bucketCount > 0)
        {
            Buckets = new long[capacity * bucketCount];
        }

        if (nativeMaxBuckets > 0)
        {
            Native = new NativeHistogramTrack(capacity, nativeMaxBuckets);
        }

        CountsFromZero = countsFromZero;
        CreatedTicks = DateTimeOffset.UnixEpoch.Ticks + (long)(series.CreatedSeconds * TimeSpan.TicksPerSecond);
    }

    public MetricSeries Series { get; }

    /// <summary>Counter totals, gauge values, or histogram and summary counts; NaN where absent.</summary>
    public double[] Values { get; }

    /// <summary>The sums of a histogram or summary; null otherwise.</summary>
    public double[]? Sums { get; }

    /// <summary>The cumulative bucket counts of a histogram, <see cref="BucketCount"/> per slot, <c>+Inf</c> last; null otherwise.</summary>
    public long[]? Buckets { get; }

    public int BucketCount { get; }

    /// <summary>The native buckets at each point of a histogram whose quantiles come from them; null otherwise.</summary>
    public NativeHistogramTrack? Native { get; }

    public long FirstSequence { get; }

    /// <summary>The last point at which the series was present.</summary>
    public long LastSequence { get; set; } = -1;

    /// <summary>
    /// Whether the series started at zero when it was created, so that its first value is all increase; false for a
    /// total kept elsewhere since before it was registered.
    /// </summary>
    public bool CountsFromZero { get; }

    /// <summary>When the series was created, in UTC ticks of the registry's clock.</summary>
    public long CreatedTicks { get; }

    public Span<long> BucketsAt(int slot) => Buckets.AsSpan(slot * BucketCount, BucketCount);
}
