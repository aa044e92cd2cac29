namespace Metrics;

/// <summary>An immutable view of a family's series in creation order, which is their exposition order.</summary>
internal sealed class SeriesList
{
    public static readonly SeriesList Empty = new([], 0);

    private readonly MetricSeries[] _items;

    private SeriesList(MetricSeries[] items, int count)
    {
        _items = items;
        Count = count;
    }

    public int Count { get; }

    public MetricSeries this[int index] => _items[index];

    /// <summary>A list with <paramref name="series"/> appended; only the newest list of a family may be appended to.</summary>
    // Appends in place while the shared array has room: slots past this list's Count are invisible to its readers.
    public SeriesList With(MetricSeries series)
    {
        var items = _items;
        if (Count == items.Length)
        {
            Array.Resize(ref items, Math.Max(4, items.Length * 2));
        }

        items[Count] = series;
        return new SeriesList(items, Count + 1);
    }

    /// <summary>A list of the series that are neither expired nor removed, in the same order, on an array of its own.</summary>
    // A new array rather than compaction in place: readers of this list may still be iterating it.
    public SeriesList WithoutDetached()
    {
        var kept = new MetricSeries[Math.Max(4, Count)];
        var count = 0;
        for (var i = 0; i < Count; i++)
        {
            if (!_items[i].IsExpired && !_items[i].IsRemoved)
            {
                kept[count++] = _items[i];
            }
        }

        return new SeriesList(kept, count);
    }
}
