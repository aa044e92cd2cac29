namespace Metrics;

/// <summary>
/// Adds native histograms up as PromQL's <c>sum</c> does in Prometheus 2.42: the result takes the lowest schema
/// of its parts and the widest zero bucket, and every part's buckets are merged into that layout.
/// </summary>
/// <remarks>
/// Parts are added one by one, each into the running total if its schema is at least the total's, else the total
/// into a copy of the part (<c>FloatHistogram.Add</c> of <c>model/histogram</c>). Zero buckets are reconciled as
/// Prometheus does: the narrower zero bucket is widened to the other's threshold, taking in the buckets below it,
/// and if that threshold falls inside a populated bucket it moves up to that bucket's upper bound, for both parts.
/// Counts stay integers, since every part's are.
/// </remarks>
internal sealed class NativeHistogramSum
{
    private readonly SortedDictionary<int, long> _positive = [];
    private readonly SortedDictionary<int, long> _negative = [];
    private int _schema;
    private double _zeroThreshold;
    private long _zeroCount;
    private long _count;
    private double _sum;

    private NativeHistogramSum(NativeHistogramSnapshot part)
    {
        _schema = part.Schema;
        _zeroThreshold = part.ZeroThreshold;
        _zeroCount = part.ZeroCount;
        _count = part.Count;
        _sum = part.Sum;
        foreach (var bucket in part.PositiveBuckets)
        {
            _positive[bucket.Index] = bucket.Count;
        }

        foreach (var bucket in part.NegativeBuckets)
        {
            _negative[bucket.Index] = bucket.Count;
        }
    }

    /// <summary>Writes the sum of <paramref name="parts"/> into <paramref name="result"/>, whose created time becomes NaN.</summary>
    /// <exception cref="ArgumentException"><paramref name="parts"/> is empty.</exception>
    public static void Of(ReadOnlySpan<NativeHistogramSnapshot> parts, NativeHistogramSnapshot result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (parts.IsEmpty)
        {
            throw new ArgumentException("Summing native histograms needs at least one histogram.", nameof(parts));
        }

        var total = new NativeHistogramSum(parts[0]);
        for (var i = 1; i < parts.Length; i++)
        {
            var part = new NativeHistogramSum(parts[i]);
            if (part._schema >= total._schema)
            {
                total.Add(part);
            }
            else
            {
                part.Add(total);
                total = part;
            }
        }

        total.WriteTo(result);
    }

    private void Add(NativeHistogramSum other)
    {
        // Reconciling may change this part's zero count too, so it runs before the addition reads it.
        var otherZeroCount = ReconcileZeroBuckets(other);
        _zeroCount += otherZeroCount;
        _count += other._count;
        _sum += other._sum;
        AddBuckets(other._positive, other._schema, _positive);
        AddBuckets(other._negative, other._schema, _negative);
    }

    // A bucket of the other part whose upper bound is within the zero threshold was counted in its zero count by
    // the reconciliation, so it is skipped here.
    private void AddBuckets(SortedDictionary<int, long> source, int sourceSchema, SortedDictionary<int, long> target)
    {
        foreach (var (index, count) in source)
        {
            var merged = NativeHistogramSchema.CoarserIndex(index, sourceSchema, _schema);
            if (NativeHistogramSchema.UpperBound(merged, _schema) > _zeroThreshold)
            {
                target[merged] = target.GetValueOrDefault(merged) + count;
            }
        }
    }

    /// <summary>Widens the narrower of the two zero buckets until both agree, and returns the other part's zero count at that threshold.</summary>
    private long ReconcileZeroBuckets(NativeHistogramSum other)
    {
        var otherZeroCount = other._zeroCount;
        var otherThreshold = other._zeroThreshold;
        while (otherThreshold != _zeroThreshold)
        {
            if (_zeroThreshold > otherThreshold)
            {
                (otherZeroCount, otherThreshold) = other.ZeroCountForLargerThreshold(_zeroThreshold);
            }

            if (otherThreshold > _zeroThreshold)
            {
                (_zeroCount, _zeroThreshold) = ZeroCountForLargerThreshold(otherThreshold);
                TrimBucketsInZeroBucket();
            }
        }

        return otherZeroCount;
    }

    /// <summary>
    /// The zero count this part would have with a zero threshold of <paramref name="larger"/>, and the threshold
    /// itself, raised to the upper bound of a populated bucket it would fall inside.
    /// </summary>
    private (long Count, double Threshold) ZeroCountForLargerThreshold(double larger)
    {
        while (true)
        {
            var count = _zeroCount;
            foreach (var (index, bucketCount) in _positive)
            {
                if (NativeHistogramSchema.LowerBound(index, _schema) >= larger)
                {
                    break;
                }

                count += bucketCount;
                var upper = NativeHistogramSchema.UpperBound(index, _schema);
                if (upper > larger)
                {
                    larger = bucketCount != 0 ? upper : larger;
                    break;
                }
            }

            var restart = false;
            foreach (var (index, bucketCount) in _negative)
            {
                if (NativeHistogramSchema.LowerBound(index, _schema) >= larger)
                {
                    break;
                }

                count += bucketCount;
                var upper = NativeHistogramSchema.UpperBound(index, _schema);
                if (upper > larger)
                {
                    // Raising the threshold for a negative bucket changes which positive buckets it takes in: start over.
                    restart = bucketCount != 0;
                    larger = restart ? upper : larger;
                    break;
                }
            }

            if (!restart)
            {
                return (count, larger);
            }
        }
    }

    // The buckets inside the zero bucket were counted in the zero count; Prometheus then compacts, which also drops
    // every other empty bucket.
    private void TrimBucketsInZeroBucket()
    {
        Trim(_positive);
        Trim(_negative);
    }

    private void Trim(SortedDictionary<int, long> buckets)
    {
        List<int>? removed = null;
        foreach (var (index, count) in buckets)
        {
            if (count == 0 || NativeHistogramSchema.LowerBound(index, _schema) < _zeroThreshold)
            {
                (removed ??= []).Add(index);
            }
        }

        foreach (var index in removed ?? [])
        {
            buckets.Remove(index);
        }
    }

    private void WriteTo(NativeHistogramSnapshot result)
    {
        result.SetTotals(_schema, _zeroThreshold, _zeroCount, _count, _sum, createdSeconds: double.NaN);
        Write(_positive, result.Positive);
        Write(_negative, result.Negative);
        result.MarkIfEmpty();
    }

    private static void Write(SortedDictionary<int, long> buckets, NativeBucketList target)
    {
        target.Clear();
        foreach (var (index, count) in buckets)
        {
            target.Append(index, count, fillSmallGaps: false);
        }
    }
}
