namespace Metrics;

/// <summary>
/// The children of one family, keyed by label values. Lookups never lock and never allocate; creation and
/// removal take a private lock and publish immutable entries, so readers always see a consistent table.
/// </summary>
internal sealed class SeriesTable<TSeries>
    where TSeries : MetricSeries
{
    private const int InitialBuckets = 16;

    private readonly object _writeLock = new();
    private Entry?[] _buckets = new Entry?[InitialBuckets];
    private SeriesList _list = SeriesList.Empty;
    private int _count;

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

    private sealed class Entry(int hash, string[] values, TSeries series, Entry? next)
    {
        public int Hash { get; } = hash;

        public string[] Values { get; } = values;

        public TSeries Series { get; } = series;

        public Entry? Next { get; } = next;

        public bool Matches(ReadOnlySpan<string> values)
        {
            var own = Values;
            for (var i = 0; i < own.Length; i++)
            {
                if (!string.Equals(own[i], values[i], StringComparison.Ordinal))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
