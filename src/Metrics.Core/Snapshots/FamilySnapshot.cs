namespace Metrics;

/// <summary>An immutable copy of one family.</summary>
public sealed class FamilySnapshot
{
    private FamilySnapshot(string name, string help, MetricType type, IReadOnlyList<string> labelNames, SeriesSnapshot[] series)
    {
        Name = name;
        Help = help;
        Type = type;
        LabelNames = labelNames;
        Series = series;
    }

    /// <summary>The family name, as <see cref="MetricFamily.Name"/>.</summary>
    public string Name { get; }

    /// <summary>The help text.</summary>
    public string Help { get; }

    /// <summary>The Prometheus type.</summary>
    public MetricType Type { get; }

    /// <summary>The label names.</summary>
    public IReadOnlyList<string> LabelNames { get; }

    /// <summary>The series in exposition order; a callback gauge whose callback failed is left out.</summary>
    public IReadOnlyList<SeriesSnapshot> Series { get; }

    /// <summary>The series whose label values are <paramref name="labelValues"/>, in label-name order, or null.</summary>
    public SeriesSnapshot? Find(params ReadOnlySpan<string> labelValues)
    {
        foreach (var series in Series)
        {
            if (series.LabelValues.Count == labelValues.Length && Matches(series.LabelValues, labelValues))
            {
                return series;
            }
        }

        return null;
    }

    internal static FamilySnapshot Create(MetricFamily family)
    {
        var list = family.Series;
        var series = new List<SeriesSnapshot>(list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            if (SeriesSnapshot.Create(list[i]) is { } snapshot)
            {
                series.Add(snapshot);
            }
        }

        return new FamilySnapshot(family.Name, family.Help, family.Type, family.LabelNames, [.. series]);
    }

    private static bool Matches(IReadOnlyList<string> values, ReadOnlySpan<string> wanted)
    {
        for (var i = 0; i < wanted.Length; i++)
        {
            if (!string.Equals(values[i], wanted[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
