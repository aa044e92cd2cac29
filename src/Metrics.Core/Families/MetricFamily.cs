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

    internal SeriesKind Kind => Shape.Kind;

    /// <summary>Whether measurements without an explicit exemplar take one from the current activity.</summary>
    internal bool EnableExemplars { get; init; }

    /// <summary>Whether OpenMetrics output carries the <c>_created</c> sample of each series.</summary>
    internal bool EnableCreatedSamples { get; init; }

    internal abstract SeriesList Series { get; }

    internal FamilyEncoding Encoding => _encoding ??= new FamilyEncoding(this);

    /// <summary>Removes the series idle for <see cref="ExpireAfter"/> as of <paramref name="now"/>, a <paramref name="clock"/> timestamp.</summary>
    internal abstract void ExpireIdleSeries(long now, TimeProvider clock);

    /// <summary>Puts an expired <paramref name="series"/> of this family back, unless a racing caller already did.</summary>
    internal abstract void Restore(MetricSeries series);
}
