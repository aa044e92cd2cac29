namespace Metrics;

/// <summary>
/// What a <see cref="Summary"/> estimates: its quantile objectives, and the sliding time window they cover.
/// These settings are part of the family's identity, like a histogram's buckets.
/// </summary>
public sealed class SummaryOptions
{
    /// <summary>The default number of age buckets, as in the Prometheus Go client.</summary>
    public const int DefaultAgeBuckets = 5;

    /// <summary>The default window: ten minutes, as in the Prometheus Go client.</summary>
    public static TimeSpan DefaultMaxAge { get; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Each quantile to estimate (strictly between 0 and 1) mapped to its allowed rank error, for example
    /// <c>{ [0.5] = 0.05, [0.9] = 0.01, [0.99] = 0.001 }</c>: the value reported for 0.9 is one whose rank among
    /// the window's observations lies between 0.89 and 0.91. Null or empty estimates no quantiles, and the summary
    /// keeps only <c>_count</c> and <c>_sum</c>, as the Prometheus Go client does by default. Tighter errors cost
    /// memory and CPU at the rate of about 1/error.
    /// </summary>
    public IReadOnlyDictionary<double, double>? Objectives { get; init; }

    /// <summary>
    /// How long an observation counts towards the quantiles. The window slides in steps of
    /// <see cref="MaxAge"/> / <see cref="AgeBuckets"/>, so it covers between <c>MaxAge - MaxAge/AgeBuckets</c> and
    /// <see cref="MaxAge"/> of the most recent observations. <c>_count</c> and <c>_sum</c> never expire.
    /// </summary>
    public TimeSpan MaxAge { get; init; } = DefaultMaxAge;

    /// <summary>
    /// How many overlapping estimators the window is made of. More buckets slide the window more smoothly, and
    /// each costs one estimator's memory and insertion work.
    /// </summary>
    public int AgeBuckets { get; init; } = DefaultAgeBuckets;
}
