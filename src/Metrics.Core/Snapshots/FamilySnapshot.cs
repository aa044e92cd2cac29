namespace Metrics;

/// <summary>An immutable copy of one family.</summary>
public sealed class FamilySnapshot
{
    private readonly int _ownLabelCount;

    private FamilySnapshot(string name, string help, MetricType type, IReadOnlyList<string> labelNames, int ownLabelCount, SeriesSnapshot[] series)
    {
        _ownLabelCount = ownLabelCount;
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

    /// <summary>The family's label names, followed by the registry's constant labels (<see cref="MetricRegistryOptions.ConstantLabels"/>).</summary>
    public IReadOnlyList<string> LabelNames { get; }

    /// <summary>The series in exposition order; a callback gauge whose callback failed is left out.</summary>
    public IReadOnlyList<SeriesSnapshot> Series { get; }

    /// <summary>
    /// The series whose label values are <paramref name="labelValues"/>, in label-name order, or null; the values
    /// of the registry's constant labels may be left off.
    /// </summary>
    public SeriesSnapshot? Find(params ReadOnlySpan<string> labelValues)
    {
        if (labelValues.Length != _ownLabelCount && labelValues.Length != LabelNames.Count)
        {
            return null;
        }

        foreach (var series in Series)
        {
            if (Matches(series.LabelValues, labelValues))
            {
                return series;
            }
        }

        return null;
    }

    internal static FamilySnapshot Create(MetricFamily family)
    {
        var series = new List<SeriesSnapshot>(family.Series.Count);
        var reader = new SnapshotReader(family.ExposedLabelNames, series);
        family.Read(ref reader);
        return new FamilySnapshot(family.Name, family.Help, family.Type, family.ExposedLabelNames, family.LabelNames.Count, [.. series]);
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
