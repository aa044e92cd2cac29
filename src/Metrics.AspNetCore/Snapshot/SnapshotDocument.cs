namespace Metrics.AspNetCore;

// The JSON shape of the snapshot endpoint, one type per level of the document. Property order is the order in the JSON;
// names are camelCased by MetricsJsonContext, null properties are left out, and non-finite numbers are written as null.

/// <summary>The whole document: when it was collected, and the families that passed the query's filters.</summary>
internal sealed class SnapshotDocument
{
    /// <summary>When the registry was collected, in UTC.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The families, sorted by name.</summary>
    public required IReadOnlyList<SnapshotFamily> Families { get; init; }
}

/// <summary>One family, as exposed to Prometheus.</summary>
internal sealed class SnapshotFamily
{
    /// <summary>The exposed name; counters end in <c>_total</c>.</summary>
    public required string Name { get; init; }

    /// <summary><c>counter</c>, <c>gauge</c> or <c>histogram</c>.</summary>
    public required string Type { get; init; }

    public required string Help { get; init; }

    public required IReadOnlyList<string> LabelNames { get; init; }

    /// <summary>The series in exposition order.</summary>
    public required IReadOnlyList<SnapshotSeries> Series { get; init; }

    /// <summary>
    /// For a histogram family, every series summed like PromQL's <c>sum by (le)</c>, with its quantiles: the figures
    /// a dashboard shows for the whole family. Its labels are empty. Null for other types and for families without
    /// series.
    /// </summary>
    public SnapshotSeries? Aggregate { get; init; }
}

/// <summary>One series: <see cref="Value"/> for counters and gauges; the histogram fields otherwise.</summary>
internal sealed class SnapshotSeries
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
    public IReadOnlyList<SnapshotBucket>? Buckets { get; init; }

    /// <summary>
    /// A histogram's quantiles, those of <c>PrometheusMetricsOptions.Quantiles</c> estimated as PromQL's
    /// <c>histogram_quantile</c> would (null values without observations); a summary's quantiles over its sliding
    /// window, as it computes them. Null for counters and gauges.
    /// </summary>
    public IReadOnlyList<SnapshotQuantile>? Quantiles { get; init; }
}

/// <summary>One quantile of a histogram or a summary.</summary>
internal sealed class SnapshotQuantile
{
    /// <summary>The quantile, such as 0.99.</summary>
    public required double Quantile { get; init; }

    /// <summary>Its value; NaN (written as null) without observations.</summary>
    public required double Value { get; init; }
}

/// <summary>One finite histogram bucket.</summary>
internal sealed class SnapshotBucket
{
    /// <summary>The inclusive upper bound.</summary>
    public required double Le { get; init; }

    /// <summary>How many observations were at most <see cref="Le"/>.</summary>
    public required long Count { get; init; }
}
