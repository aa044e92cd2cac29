namespace Metrics;

/// <summary>
/// The native buckets of one native-only histogram at each point of the ring: schema, zero bucket, created time and
/// the populated buckets of both signs, in flat arrays indexed by slot with room for <see cref="Stride"/> buckets per
/// slot, so that storing a point allocates nothing once the room suffices. Count and sum live in the
/// <see cref="SeriesTrack"/>.
/// </summary>
/// <remarks>
/// The room per slot grows, doubling and at most to the histogram's bucket limit, only when a point has more
/// populated buckets than any before; the engine never holds more than that limit, so a steady series stops growing.
/// </remarks>
internal sealed class NativeHistogramTrack
{
    /// <summary>Bytes per point outside the buckets: schema, two bucket counts, zero threshold, zero count and created time.</summary>
    public const int PointBytes = sizeof(int) * 3 + sizeof(double) * 3;

    /// <summary>Bytes per bucket of room at each point: its index and its count.</summary>
    public const int BucketBytes = sizeof(int) + sizeof(long);

    private const int InitialStride = 8;

    private readonly int _maxBuckets;
    private readonly int[] _schemas;
    private readonly double[] _zeroThresholds;
    private readonly long[] _zeroCounts;
    private readonly double[] _createdSeconds;
    private readonly int[] _positiveCounts;
    private readonly int[] _negativeCounts;
    private int[] _indexes = [];
    private long[] _counts = [];

    public NativeHistogramTrack(int capacity, int maxBuckets)
    {
        _maxBuckets = maxBuckets;
        _schemas = new int[capacity];
        _zeroThresholds = new double[capacity];
        _zeroCounts = new long[capacity];
        _createdSeconds = new double[capacity];
        _positiveCounts = new int[capacity];
        _negativeCounts = new int[capacity];
    }

    /// <summary>The room for buckets at each point: the most populated buckets any point has had, rounded up by doubling.</summary>
    public int Stride { get; private set; }

    /// <summary>The bytes this track's arrays take: (<see cref="PointBytes"/> + <see cref="BucketBytes"/> × <see cref="Stride"/>) per point.</summary>
    public long FootprintBytes => (long)_schemas.Length * (PointBytes + (BucketBytes * Stride));

    /// <summary>Stores <paramref name="native"/> at <paramref name="slot"/>, leaving out its empty buckets.</summary>
    // Runs on every sample for every native series: allocates nothing unless the room per slot must grow.
    public void Store(int slot, NativeHistogramSnapshot native)
    {
        var positive = Populated(native.PositiveBuckets);
        var negative = Populated(native.NegativeBuckets);
        if (positive + negative > Stride)
        {
            Grow(positive + negative);
        }

        _schemas[slot] = native.Schema;
        _zeroThresholds[slot] = native.ZeroThreshold;
        _zeroCounts[slot] = native.ZeroCount;
        _createdSeconds[slot] = native.CreatedSeconds;
        _positiveCounts[slot] = positive;
        _negativeCounts[slot] = negative;
        var next = slot * Stride;
        next = Copy(native.PositiveBuckets, next);
        Copy(native.NegativeBuckets, next);
    }

    /// <summary>The histogram stored at <paramref name="slot"/>, whose count and sum are <paramref name="count"/> and <paramref name="sum"/>.</summary>
    public NativeHistogramSnapshot At(int slot, long count, double sum)
    {
        var result = new NativeHistogramSnapshot();
        result.SetTotals(_schemas[slot], _zeroThresholds[slot], _zeroCounts[slot], count, sum, _createdSeconds[slot]);
        AppendAll(Positive(slot), result.Positive);
        AppendAll(Negative(slot), result.Negative);
        result.MarkIfEmpty();
        return result;
    }

    /// <summary>
    /// The observations made between <paramref name="previousSlot"/> and <paramref name="slot"/> as a native histogram
    /// at the later point's schema and zero threshold, or null when the histogram was reset in between: its created
    /// time changed, its schema rose or its zero threshold fell (which only a reset does), or a count decreased.
    /// </summary>
    /// <remarks>
    /// As PromQL does before subtracting, the earlier point is first brought to the later one's layout, the way the
    /// bucket limit's reduction moves counts: a bucket whose upper bound is within the later zero threshold joins the
    /// zero bucket, any other the bucket that contains it at the later schema.
    /// </remarks>
    public NativeHistogramSnapshot? Increase(int slot, int previousSlot, long countIncrease, double sumIncrease)
    {
        var schema = _schemas[slot];
        var zeroThreshold = _zeroThresholds[slot];
        if (_createdSeconds[slot] != _createdSeconds[previousSlot] || schema > _schemas[previousSlot]
            || zeroThreshold < _zeroThresholds[previousSlot] || countIncrease < 0)
        {
            return null;
        }

        var previousSchema = _schemas[previousSlot];
        var zeroIncrease = _zeroCounts[slot] - _zeroCounts[previousSlot];
        var result = new NativeHistogramSnapshot();
        if (!Subtract(Positive(slot), Positive(previousSlot), previousSchema, schema, zeroThreshold, result.Positive, ref zeroIncrease)
            || !Subtract(Negative(slot), Negative(previousSlot), previousSchema, schema, zeroThreshold, result.Negative, ref zeroIncrease)
            || zeroIncrease < 0)
        {
            return null;
        }

        result.SetTotals(schema, zeroThreshold, zeroIncrease, countIncrease, sumIncrease, double.NaN);
        result.MarkIfEmpty();
        return result;
    }

    private ReadOnlySpan<NativeBucket> Positive(int slot) => Buckets(slot * Stride, _positiveCounts[slot]);

    private ReadOnlySpan<NativeBucket> Negative(int slot) => Buckets((slot * Stride) + _positiveCounts[slot], _negativeCounts[slot]);

    private ReadOnlySpan<NativeBucket> Buckets(int start, int length)
    {
        var buckets = new NativeBucket[length];
        for (var i = 0; i < length; i++)
        {
            buckets[i] = new NativeBucket(_indexes[start + i], _counts[start + i]);
        }

        return buckets;
    }

    /// <summary>
    /// Appends <paramref name="later"/> less <paramref name="earlier"/> (brought to <paramref name="schema"/> and
    /// <paramref name="zeroThreshold"/>, the buckets it moves into the zero bucket taken off
    /// <paramref name="zeroIncrease"/>) to <paramref name="target"/>, leaving out buckets that did not grow; false
    /// when a bucket decreased.
    /// </summary>
    private static bool Subtract(
        ReadOnlySpan<NativeBucket> later, ReadOnlySpan<NativeBucket> earlier, int earlierSchema, int schema, double zeroThreshold,
        NativeBucketList target, ref long zeroIncrease)
    {
        var next = 0;
        var earlierIndex = 0;
        while (earlierIndex < earlier.Length)
        {
            var bucket = earlier[earlierIndex];
            if (NativeHistogramSchema.UpperBound(bucket.Index, earlierSchema) <= zeroThreshold)
            {
                zeroIncrease -= bucket.Count;
                earlierIndex++;
                continue;
            }

            // Coarsening keeps the order, so the earlier buckets that merge into one are consecutive.
            var index = NativeHistogramSchema.CoarserIndex(bucket.Index, earlierSchema, schema);
            long count = 0;
            while (earlierIndex < earlier.Length && NativeHistogramSchema.CoarserIndex(earlier[earlierIndex].Index, earlierSchema, schema) == index)
            {
                count += earlier[earlierIndex++].Count;
            }

            for (; next < later.Length && later[next].Index < index; next++)
            {
                target.Append(later[next].Index, later[next].Count, fillSmallGaps: false);
            }

            if (next == later.Length || later[next].Index != index || later[next].Count < count)
            {
                return false;
            }

            if (later[next].Count > count)
            {
                target.Append(index, later[next].Count - count, fillSmallGaps: false);
            }

            next++;
        }

        for (; next < later.Length; next++)
        {
            target.Append(later[next].Index, later[next].Count, fillSmallGaps: false);
        }

        return true;
    }

    private static void AppendAll(ReadOnlySpan<NativeBucket> buckets, NativeBucketList target)
    {
        foreach (var bucket in buckets)
        {
            target.Append(bucket.Index, bucket.Count, fillSmallGaps: false);
        }
    }

    private static int Populated(ReadOnlySpan<NativeBucket> buckets)
    {
        var populated = 0;
        foreach (var bucket in buckets)
        {
            populated += bucket.Count != 0 ? 1 : 0;
        }

        return populated;
    }

    private int Copy(ReadOnlySpan<NativeBucket> buckets, int next)
    {
        foreach (var bucket in buckets)
        {
            if (bucket.Count != 0)
            {
                _indexes[next] = bucket.Index;
                _counts[next++] = bucket.Count;
            }
        }

        return next;
    }

    /// <summary>Widens every slot's room to hold <paramref name="needed"/> buckets, moving the points already stored.</summary>
    private void Grow(int needed)
    {
        var stride = Math.Max(needed, Math.Min(Math.Max(InitialStride, Stride * 2), _maxBuckets));
        var indexes = new int[_schemas.Length * stride];
        var counts = new long[_schemas.Length * stride];
        for (var slot = 0; slot < _schemas.Length; slot++)
        {
            var stored = _positiveCounts[slot] + _negativeCounts[slot];
            Array.Copy(_indexes, slot * Stride, indexes, slot * stride, stored);
            Array.Copy(_counts, slot * Stride, counts, slot * stride, stored);
        }

        (_indexes, _counts, Stride) = (indexes, counts, stride);
    }
}
