using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace Metrics.Bridge;

/// <summary>
/// An instrument bridged into a family of <typeparamref name="TSeries"/>. The family is registered at the first
/// measurement, whose tag keys, with those declared for the instrument, become its labels; after that, a measurement's series comes from the instrument's
/// <see cref="TagSeriesCache{TSeries}"/> without a lock.
/// </summary>
internal abstract class BridgedInstrument<TSeries>(Instrument instrument, MeterBridge bridge) : BridgedInstrument(instrument, bridge)
    where TSeries : MetricSeries
{
    private const int Unbound = 0;
    private const int Collided = 1;
    private const int Completed = 2;

    private readonly object _bindLock = new();
    private TagSeriesCache<TSeries>? _cache;
    private int _status;

    /// <summary>The Prometheus type the instrument becomes, which decides its name's suffixes.</summary>
    protected abstract MetricType Type { get; }

    public override void Complete()
    {
        lock (_bindLock)
        {
            Volatile.Write(ref _status, Completed);
            if (_cache is { } cache)
            {
                Volatile.Write(ref _cache, null);
                Bridge.Registry.Unregister(cache.Family);
            }
        }
    }

    /// <summary>Registers the family; the bridge has checked that the name is free.</summary>
    protected abstract MetricFamily<TSeries> Register(string name, string help, string[] labelNames, FamilyOptions options);

    /// <summary>The series for <paramref name="tags"/>, or null when the measurement is dropped (and counted, if it must be).</summary>
    // Hot path: one volatile read and a cache hit once the family exists and the tags have been seen; must never
    // allocate, lock or throw.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected TSeries? Resolve(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var cache = Volatile.Read(ref _cache) ?? Bind(tags);
        return cache?.Find(tags);
    }

    private TagSeriesCache<TSeries>? Bind(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        switch (Volatile.Read(ref _status))
        {
            case Collided:
                return CountCollision();
            case Completed:
                return null;
        }

        lock (_bindLock)
        {
            if (_cache is { } existing)
            {
                return existing;
            }

            if (_status != Unbound)
            {
                return _status == Collided ? CountCollision() : null;
            }

            var layout = TagLayout.Create(Bridge.DeclaredTagsOf(Instrument), tags, Type);
            var (name, unit) = InstrumentNaming.Convert(Instrument.Name, Instrument.Unit, Type);
            var family = Bridge.TryRegister(name, unit, (familyName, options) =>
                Register(familyName, Instrument.Description ?? "", layout.LabelNames, options));
            if (family is null)
            {
                Volatile.Write(ref _status, Collided);
                return CountCollision();
            }

            var cache = new TagSeriesCache<TSeries>(family, layout, Bridge.Drops.UnknownTag);
            Volatile.Write(ref _cache, cache);
            return cache;
        }
    }

    private TagSeriesCache<TSeries>? CountCollision()
    {
        Bridge.Drops.NameCollision.Inc();
        return null;
    }
}
