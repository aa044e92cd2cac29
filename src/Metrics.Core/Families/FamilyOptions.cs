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
}
