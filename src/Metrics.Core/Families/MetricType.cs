namespace Metrics;

/// <summary>The Prometheus type of a metric family.</summary>
public enum MetricType
{
    /// <summary>A monotonically increasing total, exposed as <c>name_total</c>.</summary>
    Counter,

    /// <summary>A value that goes up and down.</summary>
    Gauge,

    /// <summary>Observations counted into cumulative buckets, with <c>_count</c> and <c>_sum</c>.</summary>
    Histogram,

    /// <summary>Quantiles over a sliding time window, with <c>_count</c> and <c>_sum</c> of all observations.</summary>
    Summary,
}
