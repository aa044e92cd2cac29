using Metrics.Exposition;

namespace Metrics;

/// <summary>
/// A named metric with fixed label names and one series per distinct set of label values.
/// Families come from a <see cref="MetricRegistry"/>; see <see cref="MetricFamily{TSeries}"/> for lookups.
/// </summary>
public abstract class MetricFamily
{
    /// <summary>The label value of every label on the overflow series, which takes label sets past the cardinality limit.</summary>
    public const string OverflowLabelValue = "__overflow__";

    private readonly string[] _labelNames;
    private FamilyEncoding? _encoding;

    private protected MetricFamily(MetricRegistry registry, FamilyShape shape, int cardinalityLimit, TimeSpan? expireAfter)
    {
        Registry = registry;
        Shape = shape;
        _labelNames = shape.LabelNames;
        ExposedLabelNames = registry.ConstantLabels.AppendNames(shape.LabelNames);
        CardinalityLimit = cardinalityLimit;
        ExpireAfter = expireAfter;
    }

    /// <summary>
    /// The family's name as exposed in Prometheus text format. Counter names always end in <c>_total</c>:
    /// registering <c>requests</c> or <c>requests_total</c> gives the family <c>requests_total</c>.
    /// </summary>
    public string Name => Shape.Name;

    /// <summary>The help text.</summary>
    public string Help => Shape.Help;

    /// <summary>The Prometheus type.</summary>
    public MetricType Type => Shape.Type;

    /// <summary>The label names, in the order that lookups take their values.</summary>
    public IReadOnlyList<string> LabelNames => _labelNames;

    /// <summary>The most distinct label sets the family keeps before folding new ones into the overflow series.</summary>
    public int CardinalityLimit { get; }

    /// <summary>How long a series may go without a measurement before a scrape removes it; null when series never expire.</summary>
    public TimeSpan? ExpireAfter { get; }

    internal MetricRegistry Registry { get; }

    internal FamilyShape Shape { get; }

    internal string[] LabelNameArray => _labelNames;

    /// <summary>The family's label names followed by the registry's constant ones: the labels every exposition writes.</summary>
    internal string[] ExposedLabelNames { get; }

    internal SeriesKind Kind => Shape.Kind;

    /// <summary>Whether measurements without an explicit exemplar take one from the current activity.</summary>
    internal bool EnableExemplars { get; init; }

    /// <summary>Whether OpenMetrics output carries the <c>_created</c> sample of each series.</summary>
    internal bool EnableCreatedSamples { get; init; }

    internal abstract SeriesList Series { get; }

    internal FamilyEncoding Encoding => _encoding ??= new FamilyEncoding(this);

    /// <summary>
    /// Removes the series of one label value for good; see <see cref="Remove(ReadOnlySpan{string})"/>.
    /// </summary>
    public bool Remove(string value) => Remove(new ReadOnlySpan<string>(in value));

    /// <summary>Removes the series of two label values, in label-name order, for good; see <see cref="Remove(ReadOnlySpan{string})"/>.</summary>
    public bool Remove(string first, string second)
    {
        var values = default(LabelValueSet);
        values[0] = first;
        values[1] = second;
        return Remove(((ReadOnlySpan<string>)values)[..2]);
    }

    /// <summary>Removes the series of three label values, in label-name order, for good; see <see cref="Remove(ReadOnlySpan{string})"/>.</summary>
    public bool Remove(string first, string second, string third)
    {
        var values = default(LabelValueSet);
        values[0] = first;
        values[1] = second;
        values[2] = third;
        return Remove((ReadOnlySpan<string>)values);
    }

    /// <summary>
    /// Removes the series of <paramref name="values"/>, in label-name order, for good: scrapes and snapshots leave it
    /// out from now on, it no longer counts toward <see cref="CardinalityLimit"/>, and the next lookup of these
    /// values creates a new series that starts from zero (Prometheus reads that as a counter reset). A handle kept
    /// by a call site is detached: it still accepts measurements, without error, but no exposition ever shows them
    /// and they never bring the series back, even when they race with the removal. For a callback series, its
    /// callback stops running.
    /// </summary>
    /// <returns>Whether the family held a series of these values.</returns>
    /// <exception cref="ArgumentException">The number of values differs from the number of label names.</exception>
    /// <exception cref="ArgumentNullException">A value is null.</exception>
    public bool Remove(ReadOnlySpan<string> values)
    {
        if (values.Length != _labelNames.Length)
        {
            ThrowWrongCount(values.Length);
        }

        var removed = RemoveSeries(values);
        if (removed)
        {
            Registry.Collection.ForgetCallbackSeries();
        }

        return removed;
    }

    /// <summary>
    /// Removes every series for good, as <see cref="Remove(ReadOnlySpan{string})"/> removes one, the overflow series
    /// included; the family stays registered, with its name, labels and settings.
    /// </summary>
    public void Clear()
    {
        ClearSeries();
        Registry.Collection.ForgetCallbackSeries();
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private protected void ThrowWrongCount(int count) =>
        throw new ArgumentException(
            $"Metric '{Name}' takes {_labelNames.Length} label value(s), for [{string.Join(", ", _labelNames)}], but {count} were given.");

    private protected abstract bool RemoveSeries(ReadOnlySpan<string> values);

    private protected abstract void ClearSeries();

    /// <summary>Hands every series, in exposition order, to <paramref name="reader"/>.</summary>
    // Scrape path: one generic call per series, specialised for the reader; allocates nothing.
    internal void Read<TReader>(ref TReader reader)
        where TReader : struct, ISeriesReader
    {
        var series = Series;
        for (var i = 0; i < series.Count; i++)
        {
            series[i].Read(ref reader);
        }
    }

    /// <summary>Removes the series idle for <see cref="ExpireAfter"/> as of <paramref name="now"/>, a <paramref name="clock"/> timestamp.</summary>
    internal abstract void ExpireIdleSeries(long now, TimeProvider clock);

    /// <summary>Puts an expired <paramref name="series"/> of this family back, unless a racing caller already did.</summary>
    internal abstract void Restore(MetricSeries series);
}
