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
    /// The clock that measures how long series stay idle, for families with <see cref="FamilyOptions.ExpireAfter"/>;
    /// <see cref="TimeProvider.System"/> by default. Tests pass a manual clock so that they never sleep. It is read
    /// once per scrape, never on the measurement path.
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
