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
    private const string ScrapeErrorsName = "metrics_scrape_errors_total";
    private const string SeriesOverflowName = "metrics_series_overflow_total";

    private readonly object _registrationLock = new();

    // Serializes the callbacks of overlapping collections: otherwise one scrape's callback could read its source,
    // another's read and set a newer value, and the first then set the older one, so a callback counter would go back.
    private readonly object _collectionLock = new();
    private readonly Dictionary<string, MetricFamily> _families = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MetricFamily> _sampleNameOwners = new(StringComparer.Ordinal);
    private MetricFamily[] _sortedFamilies = [];
    private Action[] _beforeCollectCallbacks = [];
    private CallbackValue[] _callbackValues = [];
    private MetricFamily[] _expiringFamilies = [];
    private Counter? _scrapeErrors;
    private MetricFamily<Counter>? _seriesOverflow;

    /// <summary>Creates a registry with default options.</summary>
    public MetricRegistry()
        : this(new MetricRegistryOptions())
    {
    }

    /// <summary>Creates a registry with the given options.</summary>
    public MetricRegistry(MetricRegistryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.DefaultCardinalityLimit, 1, nameof(options));
        ArgumentNullException.ThrowIfNull(options.TimeProvider, nameof(options));
        DefaultCardinalityLimit = options.DefaultCardinalityLimit;
        EnableCreatedSamples = options.EnableCreatedSamples;
        TimeProvider = options.TimeProvider;
    }

    /// <summary>A process-wide registry for applications that do not inject one.</summary>
    public static MetricRegistry Default { get; } = new();

    /// <summary>The cardinality limit of families that do not set their own.</summary>
    public int DefaultCardinalityLimit { get; }

    /// <summary>Whether families that do not say otherwise write OpenMetrics <c>_created</c> samples.</summary>
    internal bool EnableCreatedSamples { get; }

    /// <summary>
    /// The clock that measures how long series stay idle and dates <c>_created</c> samples, exemplars and summary
    /// windows; see <see cref="MetricRegistryOptions.TimeProvider"/>.
    /// </summary>
    internal TimeProvider TimeProvider { get; }

    /// <summary>The registered families, sorted by name.</summary>
    public IReadOnlyList<MetricFamily> Families => Volatile.Read(ref _sortedFamilies);

    /// <summary>Registers, or returns, an unlabeled integer counter.</summary>
    /// <param name="name">The name; <c>_total</c> is appended when missing.</param>
    /// <param name="help">The help text.</param>
    /// <param name="options">Per-family settings.</param>
    public Counter CreateCounter(string name, string help, FamilyOptions? options = null) =>
        CreateCounterFamily(name, help, [], options).WithLabels([]);

    /// <summary>Registers, or returns, a labeled integer counter family.</summary>
    /// <param name="name">The name; <c>_total</c> is appended when missing.</param>
    /// <param name="help">The help text.</param>
    /// <param name="labelNames">The label names, fixed for the family's life.</param>
    /// <param name="options">Per-family settings.</param>
    public MetricFamily<Counter> CreateCounterFamily(string name, string help, ReadOnlySpan<string> labelNames, FamilyOptions? options = null) =>
        Register<Counter>(CounterName(name), help, SeriesKind.Counter, labelNames, null, options, static (family, values) => new Counter(family, values));

    /// <summary>Registers, or returns, an unlabeled floating-point counter.</summary>
    /// <param name="name">The name; <c>_total</c> is appended when missing.</param>
    /// <param name="help">The help text.</param>
    /// <param name="options">Per-family settings.</param>
    public DoubleCounter CreateDoubleCounter(string name, string help, FamilyOptions? options = null) =>
        CreateDoubleCounterFamily(name, help, [], options).WithLabels([]);

    /// <summary>Registers, or returns, a labeled floating-point counter family.</summary>
    /// <param name="name">The name; <c>_total</c> is appended when missing.</param>
    /// <param name="help">The help text.</param>
    /// <param name="labelNames">The label names, fixed for the family's life.</param>
    /// <param name="options">Per-family settings.</param>
    public MetricFamily<DoubleCounter> CreateDoubleCounterFamily(string name, string help, ReadOnlySpan<string> labelNames, FamilyOptions? options = null) =>
        Register<DoubleCounter>(CounterName(name), help, SeriesKind.DoubleCounter, labelNames, null, options, static (family, values) => new DoubleCounter(family, values));

    /// <summary>Registers, or returns, an unlabeled gauge.</summary>
    /// <param name="name">The name.</param>
    /// <param name="help">The help text.</param>
    /// <param name="options">Per-family settings.</param>
    public Gauge CreateGauge(string name, string help, FamilyOptions? options = null) =>
        CreateGaugeFamily(name, help, [], options).WithLabels([]);

    /// <summary>Registers, or returns, a labeled gauge family.</summary>
    /// <param name="name">The name.</param>
    /// <param name="help">The help text.</param>
    /// <param name="labelNames">The label names, fixed for the family's life.</param>
    /// <param name="options">Per-family settings.</param>
    public MetricFamily<Gauge> CreateGaugeFamily(string name, string help, ReadOnlySpan<string> labelNames, FamilyOptions? options = null) =>
        Register<Gauge>(name, help, SeriesKind.Gauge, labelNames, null, options, static (family, values) => new Gauge(family, values));

    /// <summary>
    /// Registers a gauge whose value <paramref name="callback"/> computes at each collection. Registering the same
    /// name again returns the existing gauge only for the same callback.
    /// </summary>
    /// <param name="name">The name.</param>
    /// <param name="help">The help text.</param>
    /// <param name="callback">Computes the value; it runs on the scraping thread and should be quick.</param>
    public CallbackGauge CreateCallbackGauge(string name, string help, Func<double> callback) =>
        AddCallbackSeries<CallbackGauge>(name, help, SeriesKind.CallbackGauge, [], [], callback, static (family, values, callback) => new CallbackGauge(family, values, callback));

    /// <summary>
    /// Registers a counter whose total <paramref name="callback"/> reads at each collection from something that
    /// already keeps it. Registering the same name again returns the existing counter only for the same callback.
    /// </summary>
    /// <param name="name">The name; <c>_total</c> is appended when missing.</param>
    /// <param name="help">The help text.</param>
    /// <param name="callback">Returns the total so far, which must never go down; it runs on the scraping thread and should be quick.</param>
    public CallbackCounter CreateCallbackCounter(string name, string help, Func<double> callback) =>
        CreateCallbackCounter(name, help, [], [], callback);

    /// <summary>Registers the labeled callback counter series <paramref name="labelValues"/> of a family.</summary>
    internal CallbackCounter CreateCallbackCounter(string name, string help, ReadOnlySpan<string> labelNames, string[] labelValues, Func<double> callback) =>
        AddCallbackSeries<CallbackCounter>(CounterName(name), help, SeriesKind.CallbackCounter, labelNames, labelValues, callback, static (family, values, callback) => new CallbackCounter(family, values, callback));

    /// <summary>Registers, or returns, an unlabeled histogram.</summary>
    /// <param name="name">The name.</param>
    /// <param name="help">The help text.</param>
    /// <param name="buckets">Finite, strictly increasing upper bounds; null for <see cref="HistogramBuckets.Default"/>.</param>
    /// <param name="options">Per-family settings.</param>
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
        return Register<Histogram>(name, help, SeriesKind.Histogram, labelNames, bounds, options, static (family, values) => new Histogram(family, values, family.Shape.Bounds!));
    }

    /// <summary>Registers, or returns, an unlabeled summary.</summary>
    /// <param name="name">The name.</param>
    /// <param name="help">The help text.</param>
    /// <param name="summary">The quantile objectives and window; null for a summary of only <c>_count</c> and <c>_sum</c>.</param>
    /// <param name="options">Per-family settings.</param>
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
        return Register<Summary>(
            name, help, SeriesKind.Summary, labelNames, null, options, static (family, values) => new Summary(family, values, family.Shape.Summary!), layout);
    }

    /// <summary>
    /// Adds a callback that runs before every collection, to pull values from the application into gauges.
    /// A callback that throws is isolated: the collection goes on and the failure is counted in
    /// <c>metrics_scrape_errors_total</c>. Dispose the result to remove the callback.
    /// </summary>
    public IDisposable AddBeforeCollectCallback(Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        lock (_registrationLock)
        {
            _beforeCollectCallbacks = [.. _beforeCollectCallbacks, callback];
        }

        return new CallbackRegistration(this, callback);
    }

    /// <summary>Runs the callbacks and returns an immutable snapshot of every family.</summary>
    public MetricsSnapshot Collect() => MetricsSnapshot.Create(PrepareCollection());

    /// <summary>
    /// Removes series idle past their family's <see cref="FamilyOptions.ExpireAfter"/>, runs the before-collect callbacks
    /// and callback series, then returns the families in exposition order. Overlapping collections take turns here,
    /// never in the rendering that follows.
    /// </summary>
    internal MetricFamily[] PrepareCollection()
    {
        lock (_collectionLock)
        {
            var expiring = Volatile.Read(ref _expiringFamilies);
            if (expiring.Length > 0)
            {
                var now = TimeProvider.GetTimestamp();
                foreach (var family in expiring)
                {
                    family.ExpireIdleSeries(now, TimeProvider);
                }
            }

            foreach (var callback in Volatile.Read(ref _beforeCollectCallbacks))
            {
                try
                {
                    callback();
                }
#pragma warning disable CA1031 // A user callback may throw anything; the scrape must survive it.
                catch (Exception)
#pragma warning restore CA1031
                {
                    RecordScrapeError();
                }
            }

            foreach (var value in Volatile.Read(ref _callbackValues))
            {
                if (!value.Evaluate())
                {
                    RecordScrapeError();
                }
            }
        }

        return Volatile.Read(ref _sortedFamilies);
    }

    internal void RecordScrapeError()
    {
        _scrapeErrors ??= CreateCounter(ScrapeErrorsName, "Failures of collection callbacks; the scrape went on without them.");
        _scrapeErrors.Inc();
    }

    internal void RecordSeriesOverflow(string familyName)
    {
        // One series per family name, so registrations bound it; a cap here would fold the counter into itself.
        _seriesOverflow ??= CreateCounterFamily(
            SeriesOverflowName,
            "Lookups of new label sets that were folded into the overflow series because the family reached its cardinality limit.",
            ["family"],
            new FamilyOptions { CardinalityLimit = int.MaxValue });
        _seriesOverflow.WithLabels(familyName).Inc();
    }

    /// <summary>Whether a family named <paramref name="name"/> is registered.</summary>
    internal bool ContainsFamily(string name)
    {
        lock (_registrationLock)
        {
            return _families.ContainsKey(name);
        }
    }

    /// <summary>
    /// Unregisters <paramref name="family"/>, so that scrapes leave it out and its name and sample names are free
    /// again; nothing happens when another family holds the name by now. Handles kept by call sites go on working
    /// into the detached family, which no scrape reads.
    /// </summary>
    internal void RemoveFamily(MetricFamily family)
    {
        lock (_registrationLock)
        {
            if (!_families.TryGetValue(family.Name, out var registered) || !ReferenceEquals(registered, family))
            {
                return;
            }

            _families.Remove(family.Name);
            foreach (var sampleName in family.Shape.SampleNames)
            {
                _sampleNameOwners.Remove(sampleName);
            }

            if (Array.IndexOf(_expiringFamilies, family) is var index and >= 0)
            {
                _expiringFamilies = [.. _expiringFamilies[..index], .. _expiringFamilies[(index + 1)..]];
            }

            Volatile.Write(ref _sortedFamilies, Array.FindAll(_sortedFamilies, other => !ReferenceEquals(other, family)));
        }
    }

    // The caller's name is checked before _total is appended: otherwise "" would pass as "_total", and errors
    // would quote a name the caller never wrote.
    private static string CounterName(string name)
    {
        MetricNames.ValidateMetricName(name, nameof(name));
        return name.EndsWith("_total", StringComparison.Ordinal) ? name : name + "_total";
    }

    private MetricFamily<TSeries> Register<TSeries>(
        string name,
        string help,
        SeriesKind kind,
        ReadOnlySpan<string> labelNames,
        double[]? bounds,
        FamilyOptions? options,
        Func<MetricFamily<TSeries>, string[], TSeries> create,
        SummaryLayout? summary = null)
        where TSeries : MetricSeries
    {
        MetricNames.ValidateMetricName(name, nameof(name));
        ArgumentNullException.ThrowIfNull(help);
        var shape = new FamilyShape(name, help, kind, ValidateLabelNames(labelNames, kind), bounds, ValidateUnit(name, kind, options?.Unit, nameof(options)), summary);
        var limit = options?.CardinalityLimit ?? DefaultCardinalityLimit;
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1, nameof(options));
        var expireAfter = options?.ExpireAfter;
        if (expireAfter <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), expireAfter, "FamilyOptions.ExpireAfter must be positive, or null for series that never expire.");
        }

        lock (_registrationLock)
        {
            if (_families.TryGetValue(shape.Name, out var existing))
            {
                var conflict = existing.Shape.DescribeConflict(shape);
                return conflict is null ? (MetricFamily<TSeries>)existing : throw new InvalidOperationException(conflict);
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

            var family = new MetricFamily<TSeries>(this, shape, limit, expireAfter, create)
            {
                EnableExemplars = options?.EnableExemplars ?? false,
                EnableCreatedSamples = options?.EnableCreatedSamples ?? EnableCreatedSamples,
            };
            _families.Add(shape.Name, family);
            if (expireAfter is not null)
            {
                _expiringFamilies = [.. _expiringFamilies, family];
            }

            foreach (var sampleName in sampleNames)
            {
                _sampleNameOwners.Add(sampleName, family);
            }

            var sorted = new MetricFamily[_families.Count];
            _families.Values.CopyTo(sorted, 0);
            Array.Sort(sorted, static (left, right) => string.CompareOrdinal(left.Name, right.Name));
            Volatile.Write(ref _sortedFamilies, sorted);
            return family;
        }
    }

    private TSeries AddCallbackSeries<TSeries>(
        string name,
        string help,
        SeriesKind kind,
        ReadOnlySpan<string> labelNames,
        string[] labelValues,
        Func<double> callback,
        Func<MetricFamily<TSeries>, string[], Func<double>, TSeries> create)
        where TSeries : MetricSeries, ICallbackSeries
    {
        ArgumentNullException.ThrowIfNull(callback);
        var family = Register<TSeries>(name, help, kind, labelNames, null, null, RejectLabelLookup<TSeries>);
        var series = family.GetOrAdd(create(family, labelValues, callback));
        var source = series.Source;
        if (source.Callback != callback)
        {
            var labels = labelValues.Length == 0 ? "" : $" with labels [{string.Join(", ", labelValues)}]";
            throw new InvalidOperationException($"Metric '{family.Name}'{labels} is already registered as {FamilyShape.Describe(kind)} with another callback.");
        }

        lock (_registrationLock)
        {
            if (Array.IndexOf(_callbackValues, source) < 0)
            {
                _callbackValues = [.. _callbackValues, source];
            }
        }

        return series;
    }

    // Callback series come with their callback through AddCallbackSeries; a bare label lookup has none to give.
    private static TSeries RejectLabelLookup<TSeries>(MetricFamily<TSeries> family, string[] labelValues)
        where TSeries : MetricSeries =>
        throw new InvalidOperationException($"Metric '{family.Name}' holds callback series, which are registered with their callback.");

    private static string[] ValidateLabelNames(ReadOnlySpan<string> labelNames, SeriesKind kind)
    {
        var names = labelNames.ToArray();
        for (var i = 0; i < names.Length; i++)
        {
            MetricNames.ValidateLabelName(names[i], nameof(labelNames));
            if (kind == SeriesKind.Histogram && names[i] == "le")
            {
                throw new ArgumentException("Invalid label name 'le': it is reserved for the bucket bounds of histograms.", nameof(labelNames));
            }

            if (kind == SeriesKind.Summary && names[i] == "quantile")
            {
                throw new ArgumentException("Invalid label name 'quantile': it is reserved for the quantiles of summaries.", nameof(labelNames));
            }

            if (Array.IndexOf(names, names[i], 0, i) >= 0)
            {
                throw new ArgumentException($"Invalid label names: '{names[i]}' appears more than once; label names must be distinct.", nameof(labelNames));
            }
        }

        return names;
    }

    /// <summary>
    /// Checks an OpenMetrics unit: made of name characters, and the suffix of the family name (for counters, the
    /// name without <c>_total</c>), as OpenMetrics requires. Returns it, or empty for none.
    /// </summary>
    private static string ValidateUnit(string name, SeriesKind kind, string? unit, string parameterName)
    {
        if (string.IsNullOrEmpty(unit))
        {
            return "";
        }

        if (!MetricNames.IsValidMetricName(unit) && !MetricNames.IsValidMetricName("_" + unit))
        {
            throw new ArgumentException(
                $"Invalid unit '{unit}': a unit must consist of the characters [a-zA-Z0-9_:] that metric names use.", parameterName);
        }

        var familyName = kind is SeriesKind.Counter or SeriesKind.DoubleCounter or SeriesKind.CallbackCounter ? name[..^"_total".Length] : name;
        if (!familyName.EndsWith("_" + unit, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"Invalid unit '{unit}' for metric '{name}': OpenMetrics requires the unit to be the suffix of the metric name, so the name must end with '_{unit}'{(familyName == name ? "" : " before '_total'")}.",
                parameterName);
        }

        return unit;
    }

    private void RemoveBeforeCollectCallback(Action callback)
    {
        lock (_registrationLock)
        {
            var index = Array.IndexOf(_beforeCollectCallbacks, callback);
            if (index >= 0)
            {
                _beforeCollectCallbacks = [.. _beforeCollectCallbacks[..index], .. _beforeCollectCallbacks[(index + 1)..]];
            }
        }
    }

    private sealed class CallbackRegistration(MetricRegistry registry, Action callback) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                registry.RemoveBeforeCollectCallback(callback);
            }
        }
    }
}
