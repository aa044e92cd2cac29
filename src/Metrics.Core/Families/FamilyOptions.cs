namespace Metrics;

/// <summary>Per-family settings that are not part of the family's identity.</summary>
public sealed class FamilyOptions
{
    /// <summary>
    /// The most distinct label sets the family keeps; past it, new label sets fold into one overflow series whose
    /// every label value is <see cref="MetricFamily.OverflowLabelValue"/>. Null takes the registry's default.
    /// </summary>
    public int? CardinalityLimit { get; init; }

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
