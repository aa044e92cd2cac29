namespace Metrics.AspNetCore;

/// <summary>What a dashboard panel draws.</summary>
public enum PrometheusMetricsDashboardPanelKind
{
    /// <summary>The adapter's request rate, with the rates of 4xx and 5xx answers, as a line chart.</summary>
    Requests,

    /// <summary>The adapter's request duration quantiles over each sampling interval, as a line chart.</summary>
    Latency,

    /// <summary>The process, runtime and connection tiles of the default collectors and the adapter, each with a sparkline.</summary>
    Resources,

    /// <summary>One row per value of a label, with a column per family: sparklines of rates or quantiles, or state badges.</summary>
    SparklineTable,

    /// <summary>One state badge per value of a label, from a gauge whose values stand for states.</summary>
    StateBadges,

    /// <summary>A counter's increase over the window by two labels, as a matrix shaded by size.</summary>
    HeatMap,
}
