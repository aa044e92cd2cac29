namespace Metrics;

/// <summary>
/// The buckets of one sign of a native histogram snapshot, in increasing index order, in the three shapes readers
/// want: absolute (index, count) pairs, and the spans and count deltas of the protobuf format. Its arrays grow as
/// needed and are reused by the next capture, so a warm snapshot allocates nothing.
/// </summary>
internal sealed class NativeBucketList
{
    /// <summary>Gaps of up to this many empty buckets are written as empty buckets inside a span rather than as a new span, as client_golang does.</summary>
    public const int MaxGapInsideSpan = 2;

    private NativeBucket[] _buckets = [];
    private long[] _deltas = [];
    private NativeBucketSpan[] _spans = [];
    private int _bucketCount;
    private int _spanCount;

    /// <summary>The buckets, including the empty ones that fill small gaps inside a span.</summary>
    public ReadOnlySpan<NativeBucket> Buckets => _buckets.AsSpan(0, _bucketCount);

    /// <summary>Each bucket's count less the previous bucket's (the first bucket's count for the first).</summary>
    public ReadOnlySpan<long> Deltas => _deltas.AsSpan(0, _bucketCount);

    /// <summary>The spans the buckets form.</summary>
    public ReadOnlySpan<NativeBucketSpan> Spans => _spans.AsSpan(0, _spanCount);

    public void Clear()
    {
        _bucketCount = 0;
        _spanCount = 0;
    }

    /// <summary>
    /// Appends a bucket whose index is above the last one's. With <paramref name="fillSmallGaps"/>, a gap of up to
    /// <see cref="MaxGapInsideSpan"/> buckets is filled with empty buckets and the span goes on; any other gap starts a new span.
    /// </summary>
    public void Append(int index, long count, bool fillSmallGaps)
    {
        if (_bucketCount == 0)
        {
            AddSpan(index);
        }
        else
        {
            var gap = index - _buckets[_bucketCount - 1].Index - 1;
            if (gap == 0 || (fillSmallGaps && gap <= MaxGapInsideSpan))
            {
                for (var empty = 1; empty <= gap; empty++)
                {
                    AddBucket(index - gap - 1 + empty, 0);
                }
            }
            else
            {
                AddSpan(gap);
            }
        }

        AddBucket(index, count);
    }

    /// <summary>Records a span of no buckets at offset 0: how the protobuf format marks a native histogram that has nothing else to show.</summary>
    public void AppendEmptySpan()
    {
        Grow(ref _spans, _spanCount + 1);
        _spans[_spanCount++] = new NativeBucketSpan(0, 0);
    }

    private void AddSpan(int offset)
    {
        Grow(ref _spans, _spanCount + 1);
        _spans[_spanCount++] = new NativeBucketSpan(offset, 0);
    }

    private void AddBucket(int index, long count)
    {
        Grow(ref _buckets, _bucketCount + 1);
        Grow(ref _deltas, _bucketCount + 1);
        _deltas[_bucketCount] = count - (_bucketCount == 0 ? 0 : _buckets[_bucketCount - 1].Count);
        _buckets[_bucketCount++] = new NativeBucket(index, count);
        var span = _spans[_spanCount - 1];
        _spans[_spanCount - 1] = span with { Length = span.Length + 1 };
    }

    private static void Grow<T>(ref T[] array, int needed)
    {
        if (needed > array.Length)
        {
            Array.Resize(ref array, Math.Max(needed, Math.Max(8, array.Length * 2)));
        }
    }
}
