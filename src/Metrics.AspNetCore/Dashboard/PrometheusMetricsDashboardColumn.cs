namespace Metrics.AspNetCore;

/// <summary>
/// One column of a <see cref="PrometheusMetricsDashboardPanelKind.SparklineTable"/> panel: a family read by the
/// table's label, one cell per row. Create it with <see cref="Rate"/>, <see cref="Quantile"/> or <see cref="State"/>.
/// </summary>
public sealed class PrometheusMetricsDashboardColumn
{
    private PrometheusMetricsDashboardColumn(string name, string title, string family, MetricType type)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(title);
        ArgumentException.ThrowIfNullOrEmpty(family);
        Name = name;
        Title = title;
        Family = family;
        Type = type;
    }

    /// <summary>Names the column's sparklines in the page (their <c>data-series</c>), such as <c>tokens</c>.</summary>
    public string Name { get; }

    /// <summary>The column's heading.</summary>
    public string Title { get; }

    /// <summary>The family the column reads, by its exposed name (counters end in <c>_total</c>).</summary>
    public string Family { get; }

    internal MetricType Type { get; }

    internal string Unit { get; private init; } = "";

    internal double? DrawnQuantile { get; private init; }

    internal double? SecondaryQuantile { get; private init; }

    internal IReadOnlyList<PrometheusMetricsDashboardState>? States { get; private init; }

    /// <summary>
    /// A counter's rate per row, summed over the row's series: a sparkline of the latest points and the last rate,
    /// such as tokens per second.
    /// </summary>
    /// <param name="name">Names the sparklines in the page.</param>
    /// <param name="title">The heading, such as <c>Tokens / s</c>.</param>
    /// <param name="family">A counter with the table's label.</param>
    /// <param name="unit">How the rate is written: <c>/s</c> (the default), <c>bytes</c>, <c>s</c>, <c>%</c> or empty.</param>
    public static PrometheusMetricsDashboardColumn Rate(string name, string title, string family, string unit = "/s") =>
        new(name, title, family, MetricType.Counter) { Unit = unit };

    /// <summary>
    /// A histogram's quantile per row, over each sampling interval: a sparkline of <paramref name="quantile"/> and its
    /// last value, followed in brackets by the last <paramref name="secondaryQuantile"/> when one is given. Both must be
    /// among the history's quantiles (<see cref="PrometheusMetricsOptions.Quantiles"/>).
    /// </summary>
    /// <param name="name">Names the sparklines in the page.</param>
    /// <param name="title">The heading, such as <c>Latency p50 (p95)</c>.</param>
    /// <param name="family">A histogram of durations in seconds with the table's label.</param>
    /// <param name="quantile">The quantile drawn, such as 0.5.</param>
    /// <param name="secondaryQuantile">A quantile written beside it, such as 0.95; none by default.</param>
    public static PrometheusMetricsDashboardColumn Quantile(string name, string title, string family, double quantile, double? secondaryQuantile = null) =>
        new(name, title, family, MetricType.Histogram) { Unit = "s", DrawnQuantile = quantile, SecondaryQuantile = secondaryQuantile };

    /// <summary>A gauge's latest value per row, shown as the badge of the state it stands for.</summary>
    /// <param name="name">Names the badges in the page.</param>
    /// <param name="title">The heading, such as <c>Circuit</c>.</param>
    /// <param name="family">A gauge with the table's label.</param>
    /// <param name="states">The states its values stand for.</param>
    public static PrometheusMetricsDashboardColumn State(string name, string title, string family, IEnumerable<PrometheusMetricsDashboardState> states)
    {
        ArgumentNullException.ThrowIfNull(states);
        return new(name, title, family, MetricType.Gauge) { States = [.. states] };
    }
}
