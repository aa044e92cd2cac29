using System.Buffers;
using System.Diagnostics;

namespace Metrics;

/// <summary>
/// Counts observations, such as request durations, into cumulative buckets, and keeps their sum.
/// </summary>
/// <remarks>
/// <para>
/// Writers on different processors never share a cache line: each processor stripe has its own padded
/// bucket counts and sum, and a scrape adds the stripes up. <c>_count</c> is derived from the buckets, so every
/// scrape is self-consistent: <c>_count</c> equals the <c>+Inf</c> bucket and bucket counts rise with <c>le</c>,
/// even while writers run.
/// </para>
/// <para>
/// Bounds are inclusive upper bounds, as in Prometheus: an observation equal to a bound counts in that bucket.
/// A NaN observation is ignored: it has no bucket, and it would turn <c>_sum</c> into NaN for good.
/// </para>
/// <para>
/// OpenMetrics treats <c>_sum</c> as a counter, so its output leaves out <c>_sum</c> and <c>_count</c> (the
/// <c>+Inf</c> bucket still carries the count) when a bound is negative, and also while negative observations or
/// both infinities have made the sum negative or NaN. The text format always shows both.
/// </para>
/// <para>Memory: <c>8 × (stripes × (round8(bounds + 2) + 8) + 8)</c> bytes, with
/// <c>stripes = min(16, next power of two ≥ processor count)</c>.</para>
/// </remarks>
public sealed class Histogram : MetricSeries
{
    private const int LongsPerCacheLine = 8;
    private const int MaxStripes = 16;

    private static readonly int StripeCount = Math.Min(MaxStripes, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Environment.ProcessorCount));

    private readonly double[] _bounds;
    private readonly BucketSearch _search;
    private readonly ExemplarStore? _activityExemplars;
    private readonly long[] _cells;
    private readonly int _stride;
    private readonly int _sumOffset;

    internal Histogram(MetricFamily family, string[] labelValues, double[] bounds)
        : base(family, labelValues)
    {
        _bounds = bounds;
        _search = family.Shape.BucketSearch!;
        _sumOffset = bounds.Length + 1;
        // A stripe holds one count per bound, the +Inf count and the sum, rounded up to whole cache lines, plus one
        // line of gap so that neighbours stay apart whatever the array's alignment.
        _stride = RoundUpToCacheLine(bounds.Length + 2) + LongsPerCacheLine;
        _cells = new long[LongsPerCacheLine + (StripeCount * _stride)];
        _activityExemplars = family.EnableExemplars ? ExemplarSlots(bounds.Length + 1) : null;
    }

    /// <summary>The finite upper bounds of the buckets, in increasing order; <c>+Inf</c> is implicit.</summary>
    public IReadOnlyList<double> UpperBounds => _bounds;

    internal int BucketCount => _bounds.Length + 1;

    internal static SeriesKind Kind { get; } = new("a histogram", MetricType.Histogram, "le", "the bucket bounds of histograms");

    /// <summary>Records one observation.</summary>
    // Hot path: two interlocked operations on this processor's stripe, plus a branch each for expiry and exemplars
    // while they are off; must never allocate, lock or block.
    public void Observe(double value)
    {
        if (double.IsNaN(value))
        {
            return;
        }

        var bucket = FindBucket(value);
        Record(bucket, value);
        _activityExemplars?.RecordActivity(bucket, value);
    }

    /// <summary>
    /// Records one observation and <paramref name="exemplar"/> as the exemplar of the bucket it falls in, whether
    /// or not the family enables exemplars; an empty exemplar makes this <see cref="Observe(double)"/>. Each bucket
    /// keeps its latest exemplar, whose value therefore always lies inside that bucket.
    /// </summary>
    // Hot path: allocates nothing; the exemplar's labels were validated when it was built.
    public void Observe(double value, in Exemplar exemplar)
    {
        if (double.IsNaN(value))
        {
            return;
        }

        var bucket = FindBucket(value);
        Record(bucket, value);
        // An explicit exemplar takes the bucket's slot, so the Activity's would only be overwritten.
        if (exemplar.IsEmpty)
        {
            _activityExemplars?.RecordActivity(bucket, value);
        }
        else
        {
            ExemplarSlots(BucketCount).Record(bucket, exemplar, value);
        }
    }

    /// <summary>Observes the seconds elapsed since <paramref name="startTimestamp"/>, a <see cref="Stopwatch.GetTimestamp"/> value.</summary>
    public void ObserveElapsed(long startTimestamp) =>
        Observe((Stopwatch.GetTimestamp() - startTimestamp) / (double)Stopwatch.Frequency);

    /// <summary>
    /// Starts timing; disposing the returned scope observes the elapsed seconds:
    /// <c>using (histogram.StartTimer()) { ... }</c>. The scope is a struct, so timing allocates nothing.
    /// </summary>
    public HistogramTimer StartTimer() => new(this, Stopwatch.GetTimestamp());

    internal override void Read<TReader>(ref TReader reader)
    {
        var bucketCount = BucketCount;
        long[]? rented = null;
        var counts = bucketCount <= StackReadLimit
            ? stackalloc long[bucketCount]
            : (rented = ArrayPool<long>.Shared.Rent(bucketCount)).AsSpan(0, bucketCount);
        var sum = AddStripes(counts);
        reader.Histogram(this, counts, sum);
        if (rented is not null)
        {
            ArrayPool<long>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Adds the stripes up into <paramref name="cumulativeCounts"/> (one per bucket, <c>+Inf</c> last) and returns the sum.
    /// </summary>
    internal double AddStripes(Span<long> cumulativeCounts)
    {
        cumulativeCounts.Clear();
        var sum = 0.0;
        for (var stripe = 0; stripe < StripeCount; stripe++)
        {
            var offset = LongsPerCacheLine + (stripe * _stride);
            for (var bucket = 0; bucket < cumulativeCounts.Length; bucket++)
            {
                cumulativeCounts[bucket] += Volatile.Read(ref _cells[offset + bucket]);
            }

            sum += AtomicDouble.Read(ref _cells[offset + _sumOffset]);
        }

        for (var bucket = 1; bucket < cumulativeCounts.Length; bucket++)
        {
            cumulativeCounts[bucket] += cumulativeCounts[bucket - 1];
        }

        return sum;
    }

    private int FindBucket(double value) => _search.Find(value);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private void Record(int bucket, double value)
    {
        var stripe = LongsPerCacheLine + ((ProcessorHint.Current() & (StripeCount - 1)) * _stride);
        Interlocked.Increment(ref _cells[stripe + bucket]);
        AtomicDouble.Add(ref _cells[stripe + _sumOffset], value);
        MarkUpdated();
    }

    private static int RoundUpToCacheLine(int longs) => (longs + LongsPerCacheLine - 1) / LongsPerCacheLine * LongsPerCacheLine;
}
