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
}
