namespace Metrics;

/// <summary>
/// What a scrape reads from a native histogram: schema, zero bucket, count, sum, the positive and negative buckets
/// (as absolute index and count pairs, and as the spans and deltas of the protobuf format), the latest exemplars
/// and the created time. <see cref="Count"/> always equals <see cref="ZeroCount"/> plus every bucket's count, and
/// <see cref="Sum"/> is the sum of exactly those observations.
/// </summary>
/// <remarks>
/// A snapshot is a reusable buffer: a scrape keeps one per reader and captures into it again each time, so once its
/// arrays have grown to the histogram's size a capture allocates nothing. It is not safe to capture into one
/// snapshot from two threads at once, or to read it while a capture runs.
/// </remarks>
internal sealed class NativeHistogramSnapshot
{
    private long[] _slotTotals = [];
    private int[] _sortIndexes = [];
    private long[] _sortCounts = [];
    private NativeHistogramExemplar[] _exemplars = [];
    private int _exemplarCount;

    /// <summary>The schema, -4 to 8.</summary>
    public int Schema { get; private set; }

    /// <summary>The zero bucket holds observations whose absolute value is at most this.</summary>
    public double ZeroThreshold { get; private set; }

    /// <summary>Observations in the zero bucket.</summary>
    public long ZeroCount { get; private set; }

    /// <summary>All observations: the zero count plus every bucket's count.</summary>
    public long Count { get; private set; }

    /// <summary>The sum of all observations.</summary>
    public double Sum { get; private set; }

    /// <summary>When the histogram was created or last reset, in Unix seconds.</summary>
    public double CreatedSeconds { get; private set; }

    /// <summary>The buckets of positive observations, in increasing index order.</summary>
    public ReadOnlySpan<NativeBucket> PositiveBuckets => Positive.Buckets;

    /// <summary>The spans of the positive buckets, for the protobuf <c>positive_span</c> field.</summary>
    public ReadOnlySpan<NativeBucketSpan> PositiveSpans => Positive.Spans;

    /// <summary>The count deltas of the positive buckets, for the protobuf <c>positive_delta</c> field.</summary>
    public ReadOnlySpan<long> PositiveDeltas => Positive.Deltas;

    /// <summary>The buckets of negative observations, by index of the absolute value, in increasing index order.</summary>
    public ReadOnlySpan<NativeBucket> NegativeBuckets => Negative.Buckets;

    /// <summary>The spans of the negative buckets, for the protobuf <c>negative_span</c> field.</summary>
    public ReadOnlySpan<NativeBucketSpan> NegativeSpans => Negative.Spans;

    /// <summary>The count deltas of the negative buckets, for the protobuf <c>negative_delta</c> field.</summary>
    public ReadOnlySpan<long> NegativeDeltas => Negative.Deltas;

    /// <summary>The latest exemplars, oldest first.</summary>
    public ReadOnlySpan<NativeHistogramExemplar> Exemplars => _exemplars.AsSpan(0, _exemplarCount);

    internal NativeBucketList Positive { get; } = new();

    internal NativeBucketList Negative { get; } = new();

    /// <summary>Starts a capture: clears the buckets and returns a zeroed total for each of <paramref name="slots"/> directory slots.</summary>
    internal Span<long> BeginCapture(int schema, double zeroThreshold, double createdSeconds, int slots)
    {
        Schema = schema;
        ZeroThreshold = zeroThreshold;
        CreatedSeconds = createdSeconds;
        Positive.Clear();
        Negative.Clear();
        _exemplarCount = 0;
        EnsureLength(ref _slotTotals, slots);
        var totals = _slotTotals.AsSpan(0, slots);
        totals.Clear();
        return totals;
    }

    /// <summary>
    /// Completes a capture from the slot totals <see cref="BeginCapture"/> returned and the directory they belong
    /// to: sorts each sign's buckets by index and lays them out as spans, filling small gaps as client_golang does.
    /// The count is the zero count plus every bucket's.
    /// </summary>
    internal void CompleteCapture(long zeroCount, double sum, NativeBucketDirectory directory)
    {
        ZeroCount = zeroCount;
        Sum = sum;
        var totals = _slotTotals.AsSpan(0, directory.Count);
        var count = zeroCount;
        foreach (var total in totals)
        {
            count += total;
        }

        Count = count;
        EnsureLength(ref _sortIndexes, totals.Length);
        EnsureLength(ref _sortCounts, totals.Length);
        AppendSorted(totals, directory, negative: false, Positive);
        AppendSorted(totals, directory, negative: true, Negative);
        MarkIfEmpty();
    }

    /// <summary>Sets the totals of a snapshot whose buckets are appended directly to <see cref="Positive"/> and <see cref="Negative"/>.</summary>
    internal void SetTotals(int schema, double zeroThreshold, long zeroCount, long count, double sum, double createdSeconds)
    {
        Schema = schema;
        ZeroThreshold = zeroThreshold;
        ZeroCount = zeroCount;
        Count = count;
        Sum = sum;
        CreatedSeconds = createdSeconds;
        _exemplarCount = 0;
    }

    /// <summary>
    /// Adds the protobuf format's marker span when the histogram has no buckets, no zero count and a zero
    /// threshold of zero: without it, such a histogram reads as a classic one with no buckets.
    /// </summary>
    internal void MarkIfEmpty()
    {
        if (ZeroThreshold == 0 && ZeroCount == 0 && Positive.Buckets.IsEmpty && Negative.Buckets.IsEmpty)
        {
            Positive.AppendEmptySpan();
        }
    }

    /// <summary>A copy that later captures into this snapshot leave unchanged, without its exemplars: for an immutable snapshot.</summary>
    internal NativeHistogramSnapshot Copy()
    {
        var copy = new NativeHistogramSnapshot();
        copy.SetTotals(Schema, ZeroThreshold, ZeroCount, Count, Sum, CreatedSeconds);
        foreach (var bucket in PositiveBuckets)
        {
            copy.Positive.Append(bucket.Index, bucket.Count, fillSmallGaps: false);
        }

        foreach (var bucket in NegativeBuckets)
        {
            copy.Negative.Append(bucket.Index, bucket.Count, fillSmallGaps: false);
        }

        return copy;
    }

    /// <summary>Room for up to <paramref name="capacity"/> exemplars, to be committed with <see cref="SetExemplarCount"/>.</summary>
    internal Span<NativeHistogramExemplar> ExemplarBuffer(int capacity)
    {
        EnsureLength(ref _exemplars, capacity);
        return _exemplars.AsSpan(0, capacity);
    }

    internal void SetExemplarCount(int count) => _exemplarCount = count;

    private void AppendSorted(ReadOnlySpan<long> totals, NativeBucketDirectory directory, bool negative, NativeBucketList target)
    {
        var found = 0;
        for (var slot = 0; slot < totals.Length; slot++)
        {
            var key = directory.KeyAt(slot);
            if (totals[slot] != 0 && NativeBucketDirectory.IsNegative(key) == negative)
            {
                _sortIndexes[found] = NativeBucketDirectory.IndexOf(key);
                _sortCounts[found++] = totals[slot];
            }
        }

        var indexes = _sortIndexes.AsSpan(0, found);
        var counts = _sortCounts.AsSpan(0, found);
        indexes.Sort(counts);
        for (var i = 0; i < found; i++)
        {
            target.Append(indexes[i], counts[i], fillSmallGaps: true);
        }
    }

    private static void EnsureLength<T>(ref T[] array, int length)
    {
        if (array.Length < length)
        {
            array = new T[Math.Max(length, array.Length * 2)];
        }
    }
}
