using System.Diagnostics.Metrics;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Metrics.Bridge;

/// <summary>
/// A <see cref="MeterListener"/> that records the selected meters' measurements into a registry, reads their
/// observable instruments before each collection, and removes an instrument's family when the instrument goes away.
/// </summary>
internal sealed class MeterBridge : IDisposable
{
    private readonly object _registrationLock = new();
    private readonly MeterSelection _selection;
    private readonly IReadOnlyList<double>? _histogramBuckets;
    private readonly NativeHistogramOptions? _nativeHistograms;
    private readonly FamilyOptions? _familyOptions;
    private readonly Dictionary<string, string[]> _instrumentTags;
    private readonly MeterListener _listener;
    private readonly IDisposable _observation;
    private int _disposed;

    public MeterBridge(MetricRegistry registry, MeterBridgeOptions options)
    {
        Registry = registry;
        _selection = new MeterSelection(options.Meters, options.MeterScope, nameof(options));
        _histogramBuckets = options.HistogramBuckets is null ? null : HistogramBuckets.Validate(options.HistogramBuckets, nameof(options));
        _nativeHistograms = options.NativeHistograms;
        _nativeHistograms?.Validate();
        if (_nativeHistograms?.ClassicBuckets is { } classic)
        {
            HistogramBuckets.Validate(classic, nameof(options));
        }

        _familyOptions = options.FamilyOptions;
        _instrumentTags = CopyInstrumentTags(options.InstrumentTags, nameof(options));
        if (_familyOptions?.CardinalityLimit < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _familyOptions.CardinalityLimit, "MeterBridgeOptions.FamilyOptions.CardinalityLimit must be at least 1.");
        }

        if (_familyOptions?.ExpireAfter <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options), _familyOptions.ExpireAfter, "MeterBridgeOptions.FamilyOptions.ExpireAfter must be positive, or null for series that never expire.");
        }

        Drops = new BridgeDrops(registry);
        // The state of every enabled instrument is the BridgedInstrument this bridge gave it, so the callbacks skip the cast check.
        _listener = new MeterListener
        {
            InstrumentPublished = OnInstrumentPublished,
            MeasurementsCompleted = static (_, state) => Unsafe.As<BridgedInstrument>(state!).Complete(),
        };
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => Unsafe.As<BridgedInstrument>(state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => Unsafe.As<BridgedInstrument>(state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<short>(static (_, value, tags, state) => Unsafe.As<BridgedInstrument>(state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<byte>(static (_, value, tags, state) => Unsafe.As<BridgedInstrument>(state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => Unsafe.As<BridgedInstrument>(state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>(static (_, value, tags, state) => Unsafe.As<BridgedInstrument>(state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<decimal>(static (_, value, tags, state) => Unsafe.As<BridgedInstrument>(state!).Record((double)value, tags));
        _observation = registry.AddBeforeCollectCallback(_listener.RecordObservableInstruments);
        _listener.Start();
    }

    public MetricRegistry Registry { get; }

    public BridgeDrops Drops { get; }

    /// <summary>The tag keys declared for <paramref name="instrument"/> in <see cref="MeterBridgeOptions.InstrumentTags"/>.</summary>
    public string[] DeclaredTagsOf(Instrument instrument) =>
        _instrumentTags.TryGetValue(instrument.Name, out var keys) ? keys : [];

    /// <summary>Stops listening; the listener completes every instrument, which removes the bridged families.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _observation.Dispose();
            _listener.Dispose();
        }
    }

    /// <summary>
    /// Registers a family named <paramref name="name"/> through <paramref name="register"/>, or returns null when the
    /// name, or one of its sample names, is taken: a bridged instrument never joins a family it did not create.
    /// </summary>
    public MetricFamily<TSeries>? TryRegister<TSeries>(string name, string unit, Func<string, FamilyOptions, MetricFamily<TSeries>> register)
        where TSeries : MetricSeries
    {
        var options = new FamilyOptions
        {
            CardinalityLimit = _familyOptions?.CardinalityLimit,
            ExpireAfter = _familyOptions?.ExpireAfter,
            EnableExemplars = _familyOptions?.EnableExemplars ?? false,
            EnableCreatedSamples = _familyOptions?.EnableCreatedSamples,
            Unit = unit,
        };

        // One bridge lock, so that two of its instruments that map to one name cannot both find it free.
        lock (_registrationLock)
        {
            if (Registry.ContainsFamily(name))
            {
                return null;
            }

            try
            {
                return register(name, options);
            }
            catch (InvalidOperationException)
            {
                return null;
            }

            // A tag named like one of the registry's constant labels: the family cannot exist, as a name collision cannot.
            catch (ArgumentException)
            {
                return null;
            }
        }
    }

    private static bool IsInteger(Instrument instrument) =>
        instrument is Instrument<long> or Instrument<int> or Instrument<short> or Instrument<byte>;

    private static Dictionary<string, string[]> CopyInstrumentTags(IDictionary<string, IReadOnlyList<string>>? table, string paramName)
    {
        var copy = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (table is null)
        {
            return copy;
        }

        foreach (var (instrument, keys) in table)
        {
            if (keys is null)
            {
                throw new ArgumentException($"MeterBridgeOptions.InstrumentTags['{instrument}'] is null; give the instrument's optional tag keys, or leave it out.", paramName);
            }

            foreach (var key in keys)
            {
                if (string.IsNullOrEmpty(key))
                {
                    throw new ArgumentException($"MeterBridgeOptions.InstrumentTags['{instrument}'] holds an empty tag key; a tag key must be a non-empty string.", paramName);
                }
            }

            copy[instrument] = [.. keys];
        }

        return copy;
    }

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        if (Volatile.Read(ref _disposed) == 0 && _selection.Matches(instrument.Meter) && Create(instrument) is { } bridged)
        {
            listener.EnableMeasurementEvents(instrument, bridged);
        }
    }

    private BridgedInstrument? Create(Instrument instrument)
    {
        var type = instrument.GetType();
        if (!type.IsGenericType)
        {
            return null;
        }

        var definition = type.GetGenericTypeDefinition();
        if (definition == typeof(Counter<>))
        {
            return IsInteger(instrument) ? new BridgedCounter(instrument, this) : new BridgedDoubleCounter(instrument, this, reportsTotals: false);
        }

        if (definition == typeof(ObservableCounter<>))
        {
            return new BridgedDoubleCounter(instrument, this, reportsTotals: true);
        }

        if (definition == typeof(UpDownCounter<>))
        {
            return new BridgedUpDownCounter(instrument, this);
        }

        if (definition == typeof(ObservableUpDownCounter<>) || definition == typeof(ObservableGauge<>) || IsGauge(definition))
        {
            return new BridgedGauge(instrument, this);
        }

        if (definition != typeof(Histogram<>))
        {
            return null;
        }

        return _nativeHistograms is { } native ? new BridgedNativeHistogram(instrument, this, native) : new BridgedHistogram(instrument, this, BucketsOf(instrument));
    }

#if NET9_0_OR_GREATER
    private static bool IsGauge(Type definition) => definition == typeof(Gauge<>);
#else
    // Gauge<T> arrived in .NET 9.
    private static bool IsGauge(Type definition) => false;
#endif

    private IReadOnlyList<double> BucketsOf(Instrument instrument)
    {
#if NET9_0_OR_GREATER
        // Advice the runtime accepts may still be no layout of ours: empty (or only +Inf), or bounds that the conversion
        // to double made equal. Publishing an instrument must never throw, so such advice falls back to the options.
        if (AdviceBuckets(instrument) is { } advice && IsBucketLayout(advice))
        {
            return HistogramBuckets.Validate(advice, nameof(InstrumentAdvice<double>.HistogramBucketBoundaries));
        }
#endif
        return _histogramBuckets ?? (instrument.Unit == "s" ? HistogramBuckets.Default : MeterBridgeOptions.DefaultHistogramBuckets);
    }

#if NET9_0_OR_GREATER
    private static double[]? AdviceBuckets(Instrument instrument) => instrument switch
    {
        Instrument<double> typed => ToDoubles(typed.Advice?.HistogramBucketBoundaries),
        Instrument<float> typed => ToDoubles(typed.Advice?.HistogramBucketBoundaries),
        Instrument<long> typed => ToDoubles(typed.Advice?.HistogramBucketBoundaries),
        Instrument<int> typed => ToDoubles(typed.Advice?.HistogramBucketBoundaries),
        Instrument<short> typed => ToDoubles(typed.Advice?.HistogramBucketBoundaries),
        Instrument<byte> typed => ToDoubles(typed.Advice?.HistogramBucketBoundaries),
        Instrument<decimal> typed => ToDoubles(typed.Advice?.HistogramBucketBoundaries),
        _ => null,
    };

    // What HistogramBuckets.Validate accepts: at least one finite bound, strictly increasing, with +Inf only last.
    private static bool IsBucketLayout(double[] bounds)
    {
        var finite = bounds.Length > 0 && double.IsPositiveInfinity(bounds[^1]) ? bounds.AsSpan(0, bounds.Length - 1) : bounds;
        if (finite.Length == 0)
        {
            return false;
        }

        for (var i = 0; i < finite.Length; i++)
        {
            if (!double.IsFinite(finite[i]) || (i > 0 && finite[i] <= finite[i - 1]))
            {
                return false;
            }
        }

        return true;
    }

    private static double[]? ToDoubles<T>(IReadOnlyList<T>? bounds)
        where T : struct, IConvertible
    {
        if (bounds is null)
        {
            return null;
        }

        var converted = new double[bounds.Count];
        for (var i = 0; i < converted.Length; i++)
        {
            converted[i] = bounds[i].ToDouble(CultureInfo.InvariantCulture);
        }

        return converted;
    }
#endif
}
