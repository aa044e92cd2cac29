namespace Metrics.Bridge;

/// <summary>
/// <c>metrics_bridge_dropped_total{reason}</c>: what the bridge could not record as it arrived, so that no measurement
/// is lost silently. Every reason is registered at start, so each shows as zero until it happens.
/// </summary>
internal sealed class BridgeDrops
{
    public const string FamilyName = "metrics_bridge_dropped_total";

    public BridgeDrops(MetricRegistry registry)
    {
        var family = registry.CreateCounterFamily(
            FamilyName,
            "Measurements of bridged System.Diagnostics.Metrics instruments that were dropped (name_collision, invalid_value) or recorded without a tag the family lacks (unknown_tag).",
            ["reason"]);
        UnknownTag = family.WithLabels("unknown_tag");
        NameCollision = family.WithLabels("name_collision");
        InvalidValue = family.WithLabels("invalid_value");
    }

    /// <summary>Measurements recorded without a tag key that the family's labels, fixed at its first measurement, lack.</summary>
    public Counter UnknownTag { get; }

    /// <summary>Measurements dropped because the instrument's family name was already registered.</summary>
    public Counter NameCollision { get; }

    /// <summary>Measurements dropped because a counter went down or a value was not finite.</summary>
    public Counter InvalidValue { get; }
}
