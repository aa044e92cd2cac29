namespace Metrics;

/// <summary>An immutable copy of every family in a registry at one collection, for JSON endpoints and tests.</summary>
public sealed class MetricsSnapshot
{
    private readonly Dictionary<string, FamilySnapshot> _byName;

    private MetricsSnapshot(FamilySnapshot[] families)
    {
        Families = families;
        _byName = new Dictionary<string, FamilySnapshot>(families.Length, StringComparer.Ordinal);
        foreach (var family in families)
        {
            _byName[family.Name] = family;
        }
    }

    /// <summary>The families, sorted by name.</summary>
    public IReadOnlyList<FamilySnapshot> Families { get; }

    /// <summary>The family named <paramref name="name"/> (for counters, with <c>_total</c>), or null.</summary>
    public FamilySnapshot? Find(string name) => _byName.GetValueOrDefault(name);

    internal static MetricsSnapshot Create(MetricFamily[] families)
    {
        var snapshots = new FamilySnapshot[families.Length];
        for (var i = 0; i < families.Length; i++)
        {
            snapshots[i] = FamilySnapshot.Create(families[i]);
        }

        return new MetricsSnapshot(snapshots);
    }
}
