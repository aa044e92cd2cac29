namespace Metrics;

/// <summary>Settings of a <see cref="MetricHistory"/>: how often it samples, how many points it keeps and which quantiles it estimates.</summary>
public sealed class MetricHistoryOptions
{
    /// <summary>The default <see cref="Interval"/>: 10 seconds.</summary>
    public static TimeSpan DefaultInterval { get; } = TimeSpan.FromSeconds(10);

    /// <summary>The shortest <see cref="Interval"/>: 1 second.</summary>
    public static TimeSpan MinimumInterval { get; } = TimeSpan.FromSeconds(1);

    /// <summary>The default <see cref="Capacity"/>: 180 points, which is 30 minutes at the default interval.</summary>
    public const int DefaultCapacity = 180;

    /// <summary>The time between two points; at least <see cref="MinimumInterval"/>. Defaults to <see cref="DefaultInterval"/>.</summary>
    public TimeSpan Interval { get; set; } = DefaultInterval;

    /// <summary>
    /// How many points the ring keeps, at least 2 (a rate needs two); the oldest is overwritten by the next.
    /// Memory grows linearly with it: see <see cref="MetricHistory"/>. Defaults to <see cref="DefaultCapacity"/>.
    /// </summary>
    public int Capacity { get; set; } = DefaultCapacity;

    /// <summary>The default <see cref="Quantiles"/>: 0.5, 0.95 and 0.99.</summary>
    public static IReadOnlyList<double> DefaultQuantiles { get; } = new System.Collections.ObjectModel.ReadOnlyCollection<double>([0.5, 0.95, 0.99]);

    /// <summary>
    /// The quantiles estimated for each histogram at each point (see <see cref="SeriesHistory.Quantiles"/>): at least
    /// one, each between 0 and 1, strictly increasing. Defaults to <see cref="DefaultQuantiles"/>.
    /// </summary>
    public IReadOnlyList<double> Quantiles { get; set; } = DefaultQuantiles;

    /// <summary>
    /// The clock that schedules samples and dates points; null, the default, means the registry's
    /// <see cref="MetricRegistryOptions.TimeProvider"/>, so series creation times and points share one clock.
    /// </summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>
    /// Whether <paramref name="quantiles"/> is a valid <see cref="Quantiles"/> set: at least one, each between 0 and 1,
    /// strictly increasing. For settings that feed <see cref="Quantiles"/>, to be checked when they are bound.
    /// </summary>
    public static bool AreQuantiles(IReadOnlyList<double> quantiles)
    {
        ArgumentNullException.ThrowIfNull(quantiles);
        var previous = double.NegativeInfinity;
        foreach (var quantile in quantiles)
        {
            if (!(quantile >= 0 && quantile <= 1 && quantile > previous))
            {
                return false;
            }

            previous = quantile;
        }

        return quantiles.Count > 0;
    }
}
