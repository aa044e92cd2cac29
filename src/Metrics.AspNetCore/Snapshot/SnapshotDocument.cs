namespace Metrics.AspNetCore;

// The JSON shape of the usage endpoint, one type per level of the document. Property order is the order in the JSON;
// names are camelCased by UsageJsonContext, and null properties are left out.

/// <summary>The whole document: when it was collected, and the families that passed the query's filters.</summary>
internal sealed class UsageDocument
{
    /// <summary>When the registry was collected, in UTC.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The families, sorted by name.</summary>
    public required IReadOnlyList<UsageFamily> Families { get; init; }
}

/// <summary>One family, as exposed to Prometheus.</summary>
internal sealed class UsageFamily
{
    /// <summary>The exposed name; counters end in <c>_total</c>.</summary>
    public required string Name { get; init; }

    /// <summary><c>counter</c>, <c>gauge</c> or <c>histogram</c>.</summary>
    public required string Type { get; init; }

    public required string Help { get; init; }

    public required IReadOnlyList<string> LabelNames { get; init; }

    /// <summary>The series in exposition order.</summary>
    public required IReadOnlyList<UsageSeries> Series { get; init; }

    /// <summary>
    /// For a histogram family, every series summed like PromQL's <c>sum by (le)</c>, with its quantiles: the figures
    /// a dashboard shows for the whole family. Its labels are empty. Null for other types and for families without
    /// series.
    /// </summary>
    public UsageSeries? Aggregate { get; init; }
}

/// <summary>One series: <see cref="Value"/> for counters and gauges; the histogram fields otherwise.</summary>
internal sealed class UsageSeries
{
    /// <summary>Label name to value, in the family's label order; empty for an unlabeled series.</summary>
    public required IReadOnlyDictionary<string, string> Labels { get; init; }

    /// <summary>The counter total or gauge value; null for histograms.</summary>
    public double? Value { get; init; }

    /// <summary>The number of observations of a histogram.</summary>
    public long? Count { get; init; }

    /// <summary>The sum of the observations of a histogram.</summary>
    public double? Sum { get; init; }

    /// <summary>The cumulative counts of the finite buckets of a histogram; the <c>+Inf</c> bucket is <see cref="Count"/>.</summary>
    public IReadOnlyList<UsageBucket>? Buckets { get; init; }

    /// <summary>The estimated median, as PromQL's <c>histogram_quantile</c> would give; null without observations.</summary>
    public double? P50 { get; init; }

    /// <summary>The estimated 90th percentile; null without observations.</summary>
    public double? P90 { get; init; }

    /// <summary>The estimated 99th percentile; null without observations.</summary>
    public double? P99 { get; init; }

    /// <summary>A summary's quantiles over its sliding window, as it computes them; null for other types.</summary>
    public IReadOnlyList<UsageQuantile>? Quantiles { get; init; }
}

/// <summary>One quantile of a summary.</summary>
internal sealed class UsageQuantile
{
    /// <summary>The quantile, such as 0.99.</summary>
    public required double Quantile { get; init; }

    /// <summary>Its value over the window; NaN when the window holds no observation.</summary>
    public required double Value { get; init; }
}

/// <summary>One finite histogram bucket.</summary>
internal sealed class UsageBucket
{
    /// <summary>The inclusive upper bound.</summary>
    public required double Le { get; init; }

    /// <summary>How many observations were at most <see cref="Le"/>.</summary>
    public required long Count { get; init; }
}
