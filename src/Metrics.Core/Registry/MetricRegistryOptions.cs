namespace Metrics;

/// <summary>Settings for a <see cref="MetricRegistry"/>.</summary>
public sealed class MetricRegistryOptions
{
    /// <summary>The default for <see cref="MetricRegistryOptions.DefaultCardinalityLimit"/>: 10,000 label sets per family.</summary>
    public const int DefaultCardinalityLimitValue = 10_000;

    /// <summary>
    /// The most distinct label sets a family keeps unless its <see cref="FamilyOptions.CardinalityLimit"/> says
    /// otherwise. It bounds memory under a label-explosion attack.
    /// </summary>
    public int DefaultCardinalityLimit { get; set; } = DefaultCardinalityLimitValue;

    /// <summary>
    /// Whether counters, histograms and summaries write a <c>_created</c> sample (the series' creation time in Unix
    /// seconds) in OpenMetrics, unless their <see cref="FamilyOptions.EnableCreatedSamples"/> says otherwise.
    /// Off by default: it doubles the sample count of counters.
    /// </summary>
    public bool EnableCreatedSamples { get; set; }

    /// <summary>
    /// The registry's clock: it measures how long series stay idle, for families with
    /// <see cref="FamilyOptions.ExpireAfter"/> (read once per scrape, never on the measurement path), and it dates
    /// <c>_created</c> samples, exemplars and the sliding windows of summaries. <see cref="TimeProvider.System"/> by
    /// default; tests pass a manual clock so that they never sleep.
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Labels that every series of every family carries, such as <c>service</c> or <c>region</c>: written after each
    /// family's own labels, sorted by name, in both text formats, and present in snapshots
    /// (<see cref="FamilySnapshot.LabelNames"/>, <see cref="SeriesSnapshot.LabelValues"/> and
    /// <see cref="SeriesSnapshot.TryGetLabelValue"/>). Names follow the label-name rules; <c>le</c>, <c>quantile</c>
    /// and <c>family</c> (the label of the registry's own <c>metrics_series_overflow_total</c>) are reserved, and a
    /// family that declares a label of the same name fails to register with <see cref="ArgumentException"/>. The
    /// registry copies them when it is created. Null, the default, means none.
    /// </summary>
    public IReadOnlyDictionary<string, string>? ConstantLabels { get; set; }
}
