namespace Metrics;

/// <summary>The history of one family over the points of a <see cref="HistoryReading"/>.</summary>
public sealed class FamilyHistory
{
    internal FamilyHistory(string name, MetricType type, IReadOnlyList<string> labelNames, IReadOnlyList<string>? by, SeriesHistory[] series)
    {
        Name = name;
        Type = type;
        LabelNames = labelNames;
        By = by;
        Series = series;
    }

    /// <summary>The family's exposed name.</summary>
    public string Name { get; }

    /// <summary>The Prometheus type, which says which lists of <see cref="SeriesHistory"/> are set.</summary>
    public MetricType Type { get; }

    /// <summary>The names of the <see cref="SeriesHistory.LabelValues"/>: the family's label names, or <see cref="By"/>.</summary>
    public IReadOnlyList<string> LabelNames { get; }

    /// <summary>The labels the series were summed by, as the selector asked; null when each series stands alone.</summary>
    public IReadOnlyList<string>? By { get; }

    /// <summary>
    /// The series (or sums of series) present at any of the points, in the order the sampler first saw them. A series
    /// absent at a point, because it did not exist yet, expired, or its callback failed, is NaN there.
    /// </summary>
    public IReadOnlyList<SeriesHistory> Series { get; }
}
