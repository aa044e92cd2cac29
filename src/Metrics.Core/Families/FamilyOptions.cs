namespace Metrics;

/// <summary>Per-family settings.</summary>
public sealed class FamilyOptions
{
    /// <summary>
    /// The most distinct label sets the family keeps; past it, new label sets fold into one overflow series whose
    /// every label value is <see cref="MetricFamily.OverflowLabelValue"/>. Null takes the registry's default.
    /// </summary>
    public int? CardinalityLimit { get; init; }

    /// <summary>
    /// The unit written in OpenMetrics' <c># UNIT</c> line, such as <c>seconds</c> or <c>bytes</c>. OpenMetrics
    /// requires it to be the suffix of the family name (for counters, the name without <c>_total</c>), so
    /// registration fails with <see cref="ArgumentException"/> when it is not. The unit is part of the family's
    /// identity: registering the name again with another unit fails. Null or empty writes no unit.
    /// </summary>
    public string? Unit { get; init; }

    /// <summary>
    /// Whether the family's counters, histograms or summaries write a <c>_created</c> sample in OpenMetrics.
    /// Null takes <see cref="MetricRegistryOptions.EnableCreatedSamples"/>.
    /// </summary>
    public bool? EnableCreatedSamples { get; init; }

    /// <summary>
    /// Whether every measurement of the family's counters and histograms that passes no exemplar takes one from
    /// <see cref="System.Diagnostics.Activity.Current"/>: <c>trace_id</c> and <c>span_id</c> of a sampled W3C
    /// activity, so that each exemplar links to a trace the tracing backend kept. Off by default. Exemplars are
    /// written in OpenMetrics only. The overloads that take an <see cref="Exemplar"/> record it whatever this says.
    /// </summary>
    public bool EnableExemplars { get; init; }

    /// <summary>
    /// How long a series may go without a measurement before a scrape removes it; null, the default, keeps series
    /// for the family's life. Idle time is measured by the registry's <see cref="MetricRegistryOptions.TimeProvider"/>
    /// and checked at scrapes, so a series is removed at the first scrape at least this long after its last
    /// measurement was first scraped: never earlier, and at most one scrape interval later.
    /// </summary>
    /// <remarks>
    /// A removed series keeps working: the next measurement through a kept handle puts the same series, with its
    /// total so far, back into the family, so no increment is lost or counted twice, and a lookup of its label
    /// values returns that same handle for as long as anything holds it. Once nothing holds it, a lookup creates a
    /// new series that starts from zero, which Prometheus reads as a counter reset. The cost on the measurement path
    /// is one load of a field the measurement already touches.
    /// </remarks>
    public TimeSpan? ExpireAfter { get; init; }
}
