namespace Metrics;

/// <summary>
/// Holds metric families by name, runs the before-collect callbacks, and produces snapshots and scrapes.
/// </summary>
/// <remarks>
/// Registration has get-or-create semantics: the same name with the same shape (type, help, label names and
/// buckets) returns the existing family, while a different shape throws <see cref="InvalidOperationException"/>
/// naming the difference. Registries are independent of each other; <see cref="Default"/> is only a convenience.
/// </remarks>
public sealed class MetricRegistry
{
    private readonly FamilyDirectory _families = new();

    /// <summary>Creates a registry with default options.</summary>
    public MetricRegistry()
        : this(new MetricRegistryOptions())
    {
    }

    /// <summary>Creates a registry with the given options.</summary>
    /// <exception cref="ArgumentException">A constant label's name breaks the label-name rules or is reserved, or its value is null.</exception>
    public MetricRegistry(MetricRegistryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.DefaultCardinalityLimit, 1, nameof(options));
        ArgumentNullException.ThrowIfNull(options.TimeProvider, nameof(options));
        DefaultCardinalityLimit = options.DefaultCardinalityLimit;
        EnableCreatedSamples = options.EnableCreatedSamples;
        TimeProvider = options.TimeProvider;
        ConstantLabels = ConstantLabels.Create(options.ConstantLabels, nameof(options));
        SelfMetrics = new RegistrySelfMetrics(this);
        Collection = new CollectionCoordinator(SelfMetrics);
    }

    /// <summary>A process-wide registry for applications that do not inject one.</summary>
    public static MetricRegistry Default { get; } = new();

    /// <summary>The cardinality limit of families that do not set their own.</summary>
    public int DefaultCardinalityLimit { get; }

    /// <summary>The registered families, sorted by name.</summary>
    public IReadOnlyList<MetricFamily> Families => _families.Sorted;

    /// <summary>Whether families that do not say otherwise write OpenMetrics <c>_created</c> samples.</summary>
    internal bool EnableCreatedSamples { get; }

    /// <summary>
    /// The clock that measures how long series stay idle and dates <c>_created</c> samples, exemplars and summary
    /// windows; see <see cref="MetricRegistryOptions.TimeProvider"/>.
    /// </summary>
    internal TimeProvider TimeProvider { get; }

    internal ConstantLabels ConstantLabels { get; }

    internal RegistrySelfMetrics SelfMetrics { get; }

    internal CollectionCoordinator Collection { get; }

    /// <summary>Registers, or returns, an unlabeled integer counter; <c>_total</c> is appended to <paramref name="name"/> when missing.</summary>
    public Counter CreateCounter(string name, string help, FamilyOptions? options = null) =>
        CreateCounterFamily(name, help, [], options).WithLabels([]);

    /// <summary>
    /// Registers, or returns, a labeled integer counter family; <c>_total</c> is appended to <paramref name="name"/>
    /// when missing, and <paramref name="labelNames"/> are fixed for the family's life.
    /// </summary>
    public MetricFamily<Counter> CreateCounterFamily(string name, string help, ReadOnlySpan<string> labelNames, FamilyOptions? options = null) =>
        _families.Register<Counter>(this, MetricNames.CounterName(name, nameof(name)), help, Counter.Kind, labelNames, options, static (family, values) => new Counter(family, values));

    /// <summary>Registers, or returns, an unlabeled floating-point counter; <c>_total</c> is appended to <paramref name="name"/> when missing.</summary>
    public DoubleCounter CreateDoubleCounter(string name, string help, FamilyOptions? options = null) =>
        CreateDoubleCounterFamily(name, help, [], options).WithLabels([]);

    /// <summary>Registers, or returns, a labeled floating-point counter family; see <see cref="CreateCounterFamily"/>.</summary>
    public MetricFamily<DoubleCounter> CreateDoubleCounterFamily(string name, string help, ReadOnlySpan<string> labelNames, FamilyOptions? options = null) =>
        _families.Register<DoubleCounter>(this, MetricNames.CounterName(name, nameof(name)), help, DoubleCounter.Kind, labelNames, options, static (family, values) => new DoubleCounter(family, values));

    /// <summary>Registers, or returns, an unlabeled gauge.</summary>
    public Gauge CreateGauge(string name, string help, FamilyOptions? options = null) =>
        CreateGaugeFamily(name, help, [], options).WithLabels([]);

    /// <summary>Registers, or returns, a labeled gauge family; <paramref name="labelNames"/> are fixed for the family's life.</summary>
    public MetricFamily<Gauge> CreateGaugeFamily(string name, string help, ReadOnlySpan<string> labelNames, FamilyOptions? options = null) =>
        _families.Register<Gauge>(this, name, help, Gauge.Kind, labelNames, options, static (family, values) => new Gauge(family, values));

    /// <summary>
    /// Registers an unlabeled gauge whose value <paramref name="callback"/> computes at each collection; see
    /// <see cref="CreateCallbackGauge(string, string, ReadOnlySpan{string}, ReadOnlySpan{string}, Func{double})"/>.
    /// </summary>
    public CallbackGauge CreateCallbackGauge(string name, string help, Func<double> callback) =>
        CreateCallbackGauge(name, help, [], [], callback);

    /// <summary>
    /// Registers the series <paramref name="labelValues"/> of a gauge family whose values callbacks compute, one
    /// callback per series: call it once per label set. The callback runs once per collection (each scrape,
    /// <see cref="Collect"/> and history sample), on the collecting thread and before anything is rendered, never
    /// at the same time as another collection's callbacks; keep it quick. If it throws, the series is left out of
    /// that collection, every other series is still rendered, and the failure is counted in
    /// <c>metrics_scrape_errors_total</c>. Registering the same name and labels again returns the existing series
    /// only for the same callback; remove a series with <see cref="MetricFamily.Remove(ReadOnlySpan{string})"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The label set is registered with another callback, or the family is at its cardinality limit.</exception>
    public CallbackGauge CreateCallbackGauge(string name, string help, ReadOnlySpan<string> labelNames, ReadOnlySpan<string> labelValues, Func<double> callback) =>
        AddCallbackSeries<CallbackGauge>(name, help, CallbackGauge.Kind, labelNames, labelValues, callback, static (family, values, callback) => new CallbackGauge(family, values, callback));

    /// <summary>
    /// Registers an unlabeled counter whose total <paramref name="callback"/> reads at each collection; see
    /// <see cref="CreateCallbackCounter(string, string, ReadOnlySpan{string}, ReadOnlySpan{string}, Func{double})"/>.
    /// </summary>
    public CallbackCounter CreateCallbackCounter(string name, string help, Func<double> callback) =>
        CreateCallbackCounter(name, help, [], [], callback);

    /// <summary>
    /// Registers the series <paramref name="labelValues"/> of a counter family whose totals callbacks read from
    /// something that already keeps them; <c>_total</c> is appended to <paramref name="name"/> when missing. The
    /// callbacks run as those of <see cref="CreateCallbackGauge(string, string, ReadOnlySpan{string}, ReadOnlySpan{string}, Func{double})"/>;
    /// a series is also left out, and the failure counted, when its callback returns a negative, NaN or infinite total.
    /// </summary>
    /// <exception cref="InvalidOperationException">The label set is registered with another callback, or the family is at its cardinality limit.</exception>
    public CallbackCounter CreateCallbackCounter(string name, string help, ReadOnlySpan<string> labelNames, ReadOnlySpan<string> labelValues, Func<double> callback) =>
        AddCallbackSeries<CallbackCounter>(
            MetricNames.CounterName(name, nameof(name)), help, CallbackCounter.Kind, labelNames, labelValues, callback, static (family, values, callback) => new CallbackCounter(family, values, callback));

    /// <summary>Registers, or returns, an unlabeled histogram; see <see cref="CreateHistogramFamily"/>.</summary>
    public Histogram CreateHistogram(string name, string help, IReadOnlyList<double>? buckets = null, FamilyOptions? options = null) =>
        CreateHistogramFamily(name, help, [], buckets, options).WithLabels([]);

    /// <summary>Registers, or returns, a labeled histogram family.</summary>
    /// <param name="name">The name.</param>
    /// <param name="help">The help text.</param>
    /// <param name="labelNames">The label names, fixed for the family's life; <c>le</c> is reserved.</param>
    /// <param name="buckets">Finite, strictly increasing upper bounds; null for <see cref="HistogramBuckets.Default"/>.</param>
    /// <param name="options">Per-family settings.</param>
    public MetricFamily<Histogram> CreateHistogramFamily(
        string name, string help, ReadOnlySpan<string> labelNames, IReadOnlyList<double>? buckets = null, FamilyOptions? options = null)
    {
        var bounds = HistogramBuckets.Validate(buckets ?? HistogramBuckets.Default, nameof(buckets));
        return _families.Register<Histogram>(this, name, help, Histogram.Kind, labelNames, options, static (family, values) => new Histogram(family, values, family.Shape.Bounds!), bounds);
    }

    /// <summary>Registers, or returns, an unlabeled native histogram; see <see cref="CreateNativeHistogramFamily"/>.</summary>
    public NativeHistogram CreateNativeHistogram(string name, string help, NativeHistogramOptions? native = null, FamilyOptions? options = null) =>
        CreateNativeHistogramFamily(name, help, [], native, options).WithLabels([]);

    /// <summary>
    /// Registers, or returns, a labeled family of native histograms: sparse exponential buckets that need no bucket
    /// layout, exposed in the protobuf format, and with <see cref="NativeHistogramOptions.ClassicBuckets"/> also as
    /// classic buckets in every format. Registering the name again returns this family only with the same native
    /// settings and classic buckets.
    /// </summary>
    /// <param name="name">The name.</param>
    /// <param name="help">The help text.</param>
    /// <param name="labelNames">The label names, fixed for the family's life; <c>le</c> is reserved.</param>
    /// <param name="native">The bucket factor, zero threshold, bucket limit, exemplars and classic buckets; null for the defaults, native only.</param>
    /// <param name="options">Per-family settings; <see cref="FamilyOptions.EnableExemplars"/> applies to the classic buckets.</param>
    /// <exception cref="ArgumentOutOfRangeException">A native setting is out of range.</exception>
    /// <exception cref="ArgumentException">A classic bucket bound is not finite, or the bounds are not strictly increasing.</exception>
    public MetricFamily<NativeHistogram> CreateNativeHistogramFamily(
        string name, string help, ReadOnlySpan<string> labelNames, NativeHistogramOptions? native = null, FamilyOptions? options = null)
    {
        native ??= new NativeHistogramOptions();
        native.Validate();
        double[] bounds = native.ClassicBuckets is { } classic ? HistogramBuckets.Validate(classic, nameof(native)) : [];
        return _families.Register<NativeHistogram>(this, 
            name, help, NativeHistogram.Kind, labelNames, options, static (family, values) => new NativeHistogram(family, values, family.Shape.Native!), bounds, native: native);
    }

    /// <summary>Registers, or returns, an unlabeled summary; see <see cref="CreateSummaryFamily"/>.</summary>
    public Summary CreateSummary(string name, string help, SummaryOptions? summary = null, FamilyOptions? options = null) =>
        CreateSummaryFamily(name, help, [], summary, options).WithLabels([]);

    /// <summary>Registers, or returns, a labeled summary family.</summary>
    /// <param name="name">The name.</param>
    /// <param name="help">The help text.</param>
    /// <param name="labelNames">The label names, fixed for the family's life; <c>quantile</c> is reserved.</param>
    /// <param name="summary">The quantile objectives and window; null for a summary of only <c>_count</c> and <c>_sum</c>.</param>
    /// <param name="options">Per-family settings.</param>
    public MetricFamily<Summary> CreateSummaryFamily(
        string name, string help, ReadOnlySpan<string> labelNames, SummaryOptions? summary = null, FamilyOptions? options = null)
    {
        var layout = SummaryLayout.Create(summary, nameof(summary));
        return _families.Register<Summary>(this, name, help, Summary.Kind, labelNames, options, static (family, values) => new Summary(family, values, family.Shape.Summary!), summary: layout);
    }

    /// <summary>
    /// Adds a callback that runs before every collection, to pull values from the application into gauges.
    /// A callback that throws is isolated: the collection goes on and the failure is counted in
    /// <c>metrics_scrape_errors_total</c>. Dispose the result to remove the callback.
    /// </summary>
    public IDisposable AddBeforeCollectCallback(Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return Collection.AddBeforeCollectCallback(callback);
    }

    /// <summary>Runs the callbacks and returns an immutable snapshot of every family.</summary>
    public MetricsSnapshot Collect() => MetricsSnapshot.Create(PrepareCollection());

    /// <summary>
    /// Unregisters <paramref name="family"/>: scrapes and snapshots leave it out, its callbacks stop, and registering its name
    /// anew creates a new family that starts from zero. Kept handles still accept measurements, which nothing reads.
    /// </summary>
    /// <returns>Whether <paramref name="family"/> was registered here; false for a family unregistered already or another registry's.</returns>
    public bool Unregister(MetricFamily family)
    {
        ArgumentNullException.ThrowIfNull(family);
        if (!_families.Remove(family))
        {
            return false;
        }

        Collection.ForgetCallbackSeries(family);
        return true;
    }

    /// <summary>Removes idle series, runs the callbacks, and returns the families in exposition order.</summary>
    internal MetricFamily[] PrepareCollection() => Collection.Prepare(_families, TimeProvider);

    internal bool ContainsFamily(string name) => _families.Contains(name);

    private TSeries AddCallbackSeries<TSeries>(
        string name,
        string help,
        SeriesKind kind,
        ReadOnlySpan<string> labelNames,
        ReadOnlySpan<string> labelValues,
        Func<double> callback,
        Func<MetricFamily<TSeries>, string[], Func<double>, TSeries> create)
        where TSeries : MetricSeries, ICallbackSeries
    {
        ArgumentNullException.ThrowIfNull(callback);
        var family = _families.Register<TSeries>(this, name, help, kind, labelNames, null, CollectionCoordinator.RejectLabelLookup);
        return Collection.AddCallbackSeries(family, labelValues, callback, create);
    }
}
