namespace Metrics;

/// <summary>
/// A registry's families by name and by the sample names they write, with the sorted array that scrapes read and the
/// families whose idle series expire. Writers take its lock; readers of <see cref="Sorted"/> and
/// <see cref="Expiring"/> never do, because both arrays are replaced, never changed.
/// </summary>
internal sealed class FamilyDirectory
{
    private readonly object _lock = new();
    private readonly Dictionary<string, MetricFamily> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MetricFamily> _sampleNameOwners = new(StringComparer.Ordinal);
    private MetricFamily[] _sorted = [];
    private MetricFamily[] _expiring = [];

    /// <summary>The families sorted by name: exposition order.</summary>
    public MetricFamily[] Sorted => Volatile.Read(ref _sorted);

    /// <summary>The families with <see cref="FamilyOptions.ExpireAfter"/>.</summary>
    public MetricFamily[] Expiring => Volatile.Read(ref _expiring);

    public bool Contains(string name)
    {
        lock (_lock)
        {
            return _byName.ContainsKey(name);
        }
    }

    /// <summary>
    /// Returns the family of <paramref name="name"/> when it has the same shape, or registers a new one with the settings
    /// of <paramref name="options"/> and <paramref name="registry"/>.
    /// </summary>
    public MetricFamily<TSeries> Register<TSeries>(
        MetricRegistry registry,
        string name,
        string help,
        SeriesKind kind,
        ReadOnlySpan<string> labelNames,
        FamilyOptions? options,
        Func<MetricFamily<TSeries>, string[], TSeries> create,
        double[]? bounds = null,
        SummaryLayout? summary = null,
        NativeHistogramOptions? native = null)
        where TSeries : MetricSeries
    {
        var shape = FamilyShape.Create(name, help, kind, labelNames, registry.ConstantLabels.Names, options, bounds, summary, native);
        var limit = options?.CardinalityLimit ?? registry.DefaultCardinalityLimit;
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1, nameof(options));
        var expireAfter = options?.ExpireAfter;
        if (expireAfter <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), expireAfter, "FamilyOptions.ExpireAfter must be positive, or null for series that never expire.");
        }

        return (MetricFamily<TSeries>)GetOrAdd(shape, () => new MetricFamily<TSeries>(registry, shape, limit, expireAfter, create)
        {
            EnableExemplars = options?.EnableExemplars ?? false,
            EnableCreatedSamples = options?.EnableCreatedSamples ?? registry.EnableCreatedSamples,
        });
    }

    /// <summary>
    /// The family registered with <paramref name="shape"/>'s name, or a new one from <paramref name="create"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The name is registered with another shape, or another family writes one of its sample names.</exception>
    public MetricFamily GetOrAdd(FamilyShape shape, Func<MetricFamily> create)
    {
        lock (_lock)
        {
            if (_byName.TryGetValue(shape.Name, out var existing))
            {
                var conflict = existing.Shape.DescribeConflict(shape);
                return conflict is null ? existing : throw new InvalidOperationException(conflict);
            }

            var sampleNames = shape.SampleNames;
            foreach (var sampleName in sampleNames)
            {
                if (_sampleNameOwners.TryGetValue(sampleName, out var owner))
                {
                    throw new InvalidOperationException(
                        $"Metric '{shape.Name}' would write samples named '{sampleName}', which metric '{owner.Name}' already writes.");
                }
            }

            var family = create();
            _byName.Add(shape.Name, family);
            foreach (var sampleName in sampleNames)
            {
                _sampleNameOwners.Add(sampleName, family);
            }

            if (family.ExpireAfter is not null)
            {
                Volatile.Write(ref _expiring, [.. _expiring, family]);
            }

            var sorted = new MetricFamily[_byName.Count];
            _byName.Values.CopyTo(sorted, 0);
            Array.Sort(sorted, static (left, right) => string.CompareOrdinal(left.Name, right.Name));
            Volatile.Write(ref _sorted, sorted);
            return family;
        }
    }

    /// <summary>Removes <paramref name="family"/>; false when it is not the family registered under its name.</summary>
    public bool Remove(MetricFamily family)
    {
        lock (_lock)
        {
            if (!_byName.TryGetValue(family.Name, out var registered) || !ReferenceEquals(registered, family))
            {
                return false;
            }

            _byName.Remove(family.Name);
            foreach (var sampleName in family.Shape.SampleNames)
            {
                _sampleNameOwners.Remove(sampleName);
            }

            Volatile.Write(ref _expiring, Array.FindAll(_expiring, other => !ReferenceEquals(other, family)));
            Volatile.Write(ref _sorted, Array.FindAll(_sorted, other => !ReferenceEquals(other, family)));
            return true;
        }
    }
}
