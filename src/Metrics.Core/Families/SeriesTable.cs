using System.Runtime.CompilerServices;

namespace Metrics;

/// <summary>
/// The children of one family, keyed by label values. Lookups never lock and never allocate; creation and
/// removal take a private lock and publish immutable entries, so readers always see a consistent table.
/// </summary>
/// <remarks>
/// Removed (expired) series leave a weak tombstone behind, keyed like the table, so that while anything still holds
/// an expired series, a lookup of its label values brings that series back instead of creating a second one.
/// </remarks>
internal sealed class SeriesTable<TSeries>
    where TSeries : MetricSeries
{
    private const int InitialBuckets = 16;

    private readonly object _writeLock = new();
    private Entry?[] _buckets = new Entry?[InitialBuckets];
    private SeriesList _list = SeriesList.Empty;
    private int _count;
    private Dictionary<int, Tombstone>? _tombstones;

    /// <summary>The series in creation order; a stable snapshot that later writes do not change.</summary>
    public SeriesList Series => Volatile.Read(ref _list);

    /// <summary>How many label sets the table holds, not counting the overflow series.</summary>
    public int Count => Volatile.Read(ref _count);

    public object WriteLock => _writeLock;

    public static int Hash(ReadOnlySpan<string> values)
    {
        var hash = values.Length;
        foreach (var value in values)
        {
            ArgumentNullException.ThrowIfNull(value, "labelValues");
            hash = unchecked((hash * -1521134295) + value.GetHashCode());
        }

        return hash;
    }

    // Hot path: no lock, no allocation.
    public TSeries? Find(ReadOnlySpan<string> values, int hash)
    {
        var buckets = Volatile.Read(ref _buckets);
        for (var entry = Volatile.Read(ref buckets[hash & (buckets.Length - 1)]); entry is not null; entry = entry.Next)
        {
            if (entry.Hash == hash && entry.Matches(values))
            {
                return entry.Series;
            }
        }

        return null;
    }

    /// <summary>Adds a series that <see cref="Find"/> did not find; the caller holds <see cref="WriteLock"/>.</summary>
    public void Add(TSeries series, int hash)
    {
        if (_count >= _buckets.Length)
        {
            Grow();
        }

        var buckets = _buckets;
        var index = hash & (buckets.Length - 1);
        Volatile.Write(ref buckets[index], new Entry(hash, series.LabelValueArray, series, buckets[index]));
        Volatile.Write(ref _count, _count + 1);
        Append(series);
    }

    /// <summary>Adds a series to the exposition order only, such as the overflow series; the caller holds <see cref="WriteLock"/>.</summary>
    public void Append(MetricSeries series) => Volatile.Write(ref _list, _list.With(series));

    /// <summary>
    /// Takes the tombstone of <paramref name="values"/> and returns its series if that is still alive, otherwise
    /// null; the caller holds <see cref="WriteLock"/>.
    /// </summary>
    public TSeries? TakeExpired(ReadOnlySpan<string> values, int hash)
    {
        if (_tombstones is null || !_tombstones.TryGetValue(hash, out var head))
        {
            return null;
        }

        TSeries? found = null;
        Tombstone? kept = null;
        for (var tombstone = head; tombstone is not null; tombstone = tombstone.Next)
        {
            if (found is null && tombstone.Matches(values))
            {
                tombstone.Series.TryGetTarget(out found);
            }
            else
            {
                kept = new Tombstone(tombstone.Values, tombstone.Series, kept);
            }
        }

        SetTombstones(hash, kept);
        return found;
    }

    /// <summary>
    /// Removes every expired series from the lookup buckets and the exposition order, leaving a tombstone for each;
    /// the caller holds <see cref="WriteLock"/>.
    /// </summary>
    public void RemoveExpired()
    {
        var buckets = _buckets;
        var removed = 0;
        for (var index = 0; index < buckets.Length; index++)
        {
            var head = buckets[index];
            Entry? kept = null;
            var changed = false;
            for (var entry = head; entry is not null; entry = entry.Next)
            {
                if (entry.Series.IsExpired)
                {
                    changed = true;
                    removed++;
                    _tombstones ??= [];
                    _tombstones[entry.Hash] = new Tombstone(entry.Values, new WeakReference<TSeries>(entry.Series), _tombstones.GetValueOrDefault(entry.Hash));
                }
                else
                {
                    kept = new Entry(entry.Hash, entry.Values, entry.Series, kept);
                }
            }

            if (changed)
            {
                Volatile.Write(ref buckets[index], kept);
            }
        }

        Volatile.Write(ref _count, _count - removed);
        Volatile.Write(ref _list, _list.WithoutDetached());
    }

    /// <summary>
    /// Removes the series of <paramref name="values"/> for good, and an expired one that something still holds,
    /// marking each removed; returns whether there was either. The caller holds <see cref="WriteLock"/>.
    /// </summary>
    public bool Remove(ReadOnlySpan<string> values, int hash)
    {
        var removed = TakeExpired(values, hash);
        removed?.MarkRemoved();
        var buckets = _buckets;
        var index = hash & (buckets.Length - 1);
        Entry? kept = null;
        TSeries? found = null;
        for (var entry = buckets[index]; entry is not null; entry = entry.Next)
        {
            if (found is null && entry.Hash == hash && entry.Matches(values))
            {
                found = entry.Series;
            }
            else
            {
                kept = new Entry(entry.Hash, entry.Values, entry.Series, kept);
            }
        }

        if (found is null)
        {
            return removed is not null;
        }

        found.MarkRemoved();
        Volatile.Write(ref buckets[index], kept);
        Volatile.Write(ref _count, _count - 1);
        Volatile.Write(ref _list, _list.WithoutDetached());
        return true;
    }

    /// <summary>
    /// Removes every series for good, the overflow series and expired ones that something still holds included,
    /// marking each removed; the caller holds <see cref="WriteLock"/>.
    /// </summary>
    public void Clear()
    {
        var list = _list;
        for (var i = 0; i < list.Count; i++)
        {
            list[i].MarkRemoved();
        }

        foreach (var head in _tombstones?.Values ?? Enumerable.Empty<Tombstone>())
        {
            for (var tombstone = head; tombstone is not null; tombstone = tombstone.Next)
            {
                if (tombstone.Series.TryGetTarget(out var series))
                {
                    series.MarkRemoved();
                }
            }
        }

        _tombstones = null;
        Volatile.Write(ref _buckets, new Entry?[InitialBuckets]);
        Volatile.Write(ref _count, 0);
        Volatile.Write(ref _list, SeriesList.Empty);
    }

    /// <summary>Drops the tombstones of series that nothing holds any more; the caller holds <see cref="WriteLock"/>.</summary>
    public void ForgetCollected()
    {
        if (_tombstones is null || _tombstones.Count == 0)
        {
            return;
        }

        List<int>? collected = null;
        foreach (var (hash, head) in _tombstones)
        {
            for (var tombstone = head; tombstone is not null; tombstone = tombstone.Next)
            {
                if (!tombstone.Series.TryGetTarget(out _))
                {
                    (collected ??= []).Add(hash);
                    break;
                }
            }
        }

        if (collected is null)
        {
            return;
        }

        foreach (var hash in collected)
        {
            Tombstone? kept = null;
            for (var tombstone = _tombstones[hash]; tombstone is not null; tombstone = tombstone.Next)
            {
                if (tombstone.Series.TryGetTarget(out _))
                {
                    kept = new Tombstone(tombstone.Values, tombstone.Series, kept);
                }
            }

            SetTombstones(hash, kept);
        }
    }

    private void SetTombstones(int hash, Tombstone? head)
    {
        if (head is null)
        {
            _tombstones!.Remove(hash);
        }
        else
        {
            _tombstones![hash] = head;
        }
    }

    private void Grow()
    {
        var old = _buckets;
        var grown = new Entry?[old.Length * 2];
        foreach (var head in old)
        {
            for (var entry = head; entry is not null; entry = entry.Next)
            {
                var index = entry.Hash & (grown.Length - 1);
                grown[index] = new Entry(entry.Hash, entry.Values, entry.Series, grown[index]);
            }
        }

        Volatile.Write(ref _buckets, grown);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Matches(string[] own, ReadOnlySpan<string> values)
    {
        for (var i = 0; i < own.Length; i++)
        {
            if (!string.Equals(own[i], values[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>An expired series, held weakly so that the tombstone never keeps it alive.</summary>
    private sealed class Tombstone(string[] values, WeakReference<TSeries> series, Tombstone? next)
    {
        public string[] Values { get; } = values;

        public WeakReference<TSeries> Series { get; } = series;

        public Tombstone? Next { get; } = next;

        public bool Matches(ReadOnlySpan<string> values) => SeriesTable<TSeries>.Matches(Values, values);
    }

    private sealed class Entry(int hash, string[] values, TSeries series, Entry? next)
    {
        public int Hash { get; } = hash;

        public string[] Values { get; } = values;

        public TSeries Series { get; } = series;

        public Entry? Next { get; } = next;

        public bool Matches(ReadOnlySpan<string> values) => SeriesTable<TSeries>.Matches(Values, values);
    }
}
