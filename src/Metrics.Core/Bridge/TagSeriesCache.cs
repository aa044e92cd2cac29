using System.Runtime.CompilerServices;

namespace Metrics.Bridge;

/// <summary>
/// A bridged instrument's family and, in front of it, a cache from a measurement's tags (keys and values as they
/// arrive, in their order) to the series they resolve to. A hit costs a cheap hash of the tag values and one comparison
/// per tag: no slot mapping, no formatting and no label-value hashing, which <see cref="TagLayout.Find"/> does on a miss.
/// </summary>
/// <remarks>
/// Values match by <see cref="object.Equals(object)"/> (strings by content), so equal values in fresh instances, such
/// as a boxed status code, still hit. Entries are immutable and published with a compare-exchange on their bucket, so
/// readers never lock and a racing install is only skipped. The cache holds at most <see cref="EntryLimit"/> entries;
/// past that, measurements with new tags resolve through the family every time, still without allocating. Overflow
/// series are never cached, so a label set refused at the cardinality limit gets its own series once expiry makes room.
/// </remarks>
internal sealed class TagSeriesCache<TSeries>
    where TSeries : MetricSeries
{
    public const int EntryLimit = 2048;
    private const int BucketCount = 256;

    private readonly Entry?[] _buckets = new Entry?[BucketCount];
    private readonly TagLayout _layout;
    private readonly Counter _unknownTag;
    private int _count;

    /// <param name="family">The instrument's family.</param>
    /// <param name="layout">Maps tags onto the family's labels.</param>
    /// <param name="unknownTag">Counts measurements that carry a tag the family lacks.</param>
    public TagSeriesCache(MetricFamily<TSeries> family, TagLayout layout, Counter unknownTag)
    {
        Family = family;
        _layout = layout;
        _unknownTag = unknownTag;
    }

    public MetricFamily<TSeries> Family { get; }

    /// <summary>The series for <paramref name="tags"/>; counts the measurement when it carries a tag the family lacks.</summary>
    // Hot path: no lock, no allocation once the tags have been seen; must never throw.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TSeries Find(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var hash = Hash(tags);
        for (var entry = Volatile.Read(ref _buckets[hash & (BucketCount - 1)]); entry is not null; entry = entry.Next)
        {
            if (entry.Hash == hash && entry.Matches(tags))
            {
                if (entry.HasUnknownTag)
                {
                    _unknownTag.Inc();
                }

                return entry.Series;
            }
        }

        return Resolve(tags, hash);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private TSeries Resolve(ReadOnlySpan<KeyValuePair<string, object?>> tags, int hash)
    {
        var series = _layout.Find(Family, tags, out var hasUnknownTag);
        if (hasUnknownTag)
        {
            _unknownTag.Inc();
        }

        if (Volatile.Read(ref _count) < EntryLimit && !IsOverflow(series))
        {
            ref var bucket = ref _buckets[hash & (BucketCount - 1)];
            var head = Volatile.Read(ref bucket);
            if (Interlocked.CompareExchange(ref bucket, new Entry(hash, tags, series, hasUnknownTag, head), head) == head)
            {
                Interlocked.Increment(ref _count);
            }
        }

        return series;
    }

    private static bool IsOverflow(TSeries series)
    {
        var values = series.LabelValueArray;
        return values.Length > 0 && ReferenceEquals(values[0], MetricFamily.OverflowLabelValue);
    }

    // Tag values are mostly short strings, for which the randomized content hash (Marvin) costs more than the rest of a
    // hit. Every character counts, though: ids such as tenant-0001 and tenant-0417 differ only inside, and a hash that
    // skips them sends a thousand series down a few chains, and a hit then walks the whole chain.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Hash(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var hash = tags.Length;
        foreach (var tag in tags)
        {
            hash = unchecked((hash * 31) + ValueHash(tag.Value));
        }

        return hash;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ValueHash(object? value) => value switch
    {
        string text => StringHash(text),
        null => 0,
        _ => value.GetHashCode(),
    };

    private static int StringHash(string text)
    {
        var hash = unchecked((int)2166136261);
        foreach (var character in text)
        {
            hash = unchecked((hash ^ character) * 16777619);
        }

        // Buckets take the low bits; fold the high ones in, where FNV leaves most of the spread.
        return hash ^ (hash >> 15);
    }

    private sealed class Entry
    {
        private readonly string[] _keys;
        private readonly object?[] _values;

        public Entry(int hash, ReadOnlySpan<KeyValuePair<string, object?>> tags, TSeries series, bool hasUnknownTag, Entry? next)
        {
            Hash = hash;
            _keys = new string[tags.Length];
            _values = new object?[tags.Length];
            for (var i = 0; i < tags.Length; i++)
            {
                _keys[i] = tags[i].Key;
                _values[i] = tags[i].Value;
            }

            Series = series;
            HasUnknownTag = hasUnknownTag;
            Next = next;
        }

        public int Hash { get; }

        public TSeries Series { get; }

        public bool HasUnknownTag { get; }

        public Entry? Next { get; }

        public bool Matches(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var keys = _keys;
            var values = _values;
            if (keys.Length != tags.Length)
            {
                return false;
            }

            for (var i = 0; i < keys.Length; i++)
            {
                var tag = tags[i];
                if (!ReferenceEquals(keys[i], tag.Key) && !string.Equals(keys[i], tag.Key, StringComparison.Ordinal))
                {
                    return false;
                }

                if (!ReferenceEquals(values[i], tag.Value) && !SameValue(values[i], tag.Value))
                {
                    return false;
                }
            }

            return true;
        }

        private static bool SameValue(object? cached, object? value) => cached switch
        {
            string text => value is string other && string.Equals(text, other, StringComparison.Ordinal),
            null => false,
            _ => cached.Equals(value),
        };
    }
}
