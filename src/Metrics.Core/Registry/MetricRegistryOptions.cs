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
}
