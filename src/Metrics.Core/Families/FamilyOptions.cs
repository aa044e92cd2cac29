namespace Metrics;

/// <summary>Per-family settings that are not part of the family's identity.</summary>
public sealed class FamilyOptions
{
    /// <summary>
    /// The most distinct label sets the family keeps; past it, new label sets fold into one overflow series whose
    /// every label value is <see cref="MetricFamily.OverflowLabelValue"/>. Null takes the registry's default.
    /// </summary>
    public int? CardinalityLimit { get; init; }
}
