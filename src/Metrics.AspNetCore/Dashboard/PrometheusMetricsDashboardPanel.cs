namespace Metrics.AspNetCore;

/// <summary>
/// One panel of the dashboard page: one of the built-in panels over the adapter's and the default collectors' families
/// (<see cref="Requests"/>, <see cref="Latency"/>, <see cref="Resources"/>), or one over the application's own
/// families (<see cref="SparklineTable"/>, <see cref="StateBadges"/>, <see cref="HeatMap"/>).
/// </summary>
public sealed class PrometheusMetricsDashboardPanel
{
    private const int RowWidth = 12;

    private PrometheusMetricsDashboardPanel(PrometheusMetricsDashboardPanelKind kind, string id, string title, string description, int width)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(description);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, RowWidth);
        Kind = kind;
        Id = id;
        Title = title;
        Description = description;
        Width = width;
    }

    /// <summary>What the panel draws.</summary>
    public PrometheusMetricsDashboardPanelKind Kind { get; }

    /// <summary>The panel's element id in the page (with <c>-panel</c> appended), unique among the panels.</summary>
    public string Id { get; }

    /// <summary>The panel's heading.</summary>
    public string Title { get; }

    /// <summary>The line under the heading.</summary>
    public string Description { get; }

    /// <summary>How many of a row's 12 columns the panel takes.</summary>
    public int Width { get; }

    internal string? Family { get; private init; }

    internal string? Label { get; private init; }

    internal string? LabelTitle { get; private init; }

    internal string? ColumnLabel { get; private init; }

    internal string? ExcludedLabelValue { get; private init; }

    internal IReadOnlyList<PrometheusMetricsDashboardColumn>? Columns { get; private init; }

    internal IReadOnlyList<PrometheusMetricsDashboardState>? States { get; private init; }

    /// <summary>
    /// The requests per second of <c>http_requests_total</c>, and those answered 4xx and 5xx, as a line chart; shown
    /// when the request metrics are on.
    /// </summary>
    /// <param name="width">Columns of the row's 12; half by default.</param>
    public static PrometheusMetricsDashboardPanel Requests(int width = 6) => new(
        PrometheusMetricsDashboardPanelKind.Requests, "requests", "Requests", "Requests per second, and those that failed with a 4xx or 5xx status", width);

    /// <summary>
    /// The quantiles of <c>http_request_duration_seconds</c> over each sampling interval, one line per quantile of
    /// the history; shown when the request metrics are on.
    /// </summary>
    /// <param name="width">Columns of the row's 12; half by default.</param>
    public static PrometheusMetricsDashboardPanel Latency(int width = 6) => new(
        PrometheusMetricsDashboardPanelKind.Latency, "latency", "Latency", "Request duration percentiles over each sampling interval", width);

    /// <summary>
    /// Tiles of CPU, resident memory, GC heap and collections, thread pool threads and queue (the default collectors),
    /// open connections and requests in flight (the adapter), each with its last value and a sparkline; tiles whose
    /// families are missing are left out.
    /// </summary>
    /// <param name="width">Columns of the row's 12; the whole row by default.</param>
    public static PrometheusMetricsDashboardPanel Resources(int width = RowWidth) => new(
        PrometheusMetricsDashboardPanelKind.Resources, "resources", "Resources", "Process and runtime, sampled with the other series", width);

    /// <summary>
    /// A table with one row per value of <paramref name="label"/> (sorted, <paramref name="excludedLabelValue"/> left
    /// out) and one cell per column; columns whose family is missing are left out, and the panel with them all.
    /// </summary>
    /// <param name="id">The panel's element id, such as <c>backends</c>.</param>
    /// <param name="title">The heading.</param>
    /// <param name="description">The line under the heading.</param>
    /// <param name="label">The label whose values are the rows; every column's family must have it.</param>
    /// <param name="labelTitle">The heading of the rows' names.</param>
    /// <param name="columns">The columns, in order.</param>
    /// <param name="excludedLabelValue">A label value that stands for no row, such as <c>none</c>; none by default.</param>
    /// <param name="width">Columns of the row's 12; half by default.</param>
    public static PrometheusMetricsDashboardPanel SparklineTable(
        string id, string title, string description, string label, string labelTitle, IEnumerable<PrometheusMetricsDashboardColumn> columns,
        string? excludedLabelValue = null, int width = 6)
    {
        ArgumentException.ThrowIfNullOrEmpty(label);
        ArgumentNullException.ThrowIfNull(labelTitle);
        ArgumentNullException.ThrowIfNull(columns);
        PrometheusMetricsDashboardColumn[] list = [.. columns];
        ArgumentOutOfRangeException.ThrowIfZero(list.Length, nameof(columns));
        return new(PrometheusMetricsDashboardPanelKind.SparklineTable, id, title, description, width)
        {
            Label = label,
            LabelTitle = labelTitle,
            Columns = list,
            ExcludedLabelValue = excludedLabelValue,
        };
    }

    /// <summary>One badge per value of <paramref name="label"/> of a gauge, sorted, naming the state its latest value stands for.</summary>
    /// <param name="id">The panel's element id, such as <c>breakers</c>.</param>
    /// <param name="title">The heading.</param>
    /// <param name="description">The line under the heading.</param>
    /// <param name="family">A gauge with <paramref name="label"/>.</param>
    /// <param name="label">The label whose values the badges name.</param>
    /// <param name="states">The states the gauge's values stand for.</param>
    /// <param name="width">Columns of the row's 12; half by default.</param>
    public static PrometheusMetricsDashboardPanel StateBadges(
        string id, string title, string description, string family, string label, IEnumerable<PrometheusMetricsDashboardState> states, int width = 6)
    {
        ArgumentException.ThrowIfNullOrEmpty(family);
        ArgumentException.ThrowIfNullOrEmpty(label);
        ArgumentNullException.ThrowIfNull(states);
        return new(PrometheusMetricsDashboardPanelKind.StateBadges, id, title, description, width) { Family = family, Label = label, States = [.. states] };
    }

    /// <summary>
    /// A counter's increase over the page's window as a matrix, one row per value of <paramref name="rowLabel"/> and
    /// one column per value of <paramref name="columnLabel"/>, each cell shaded by its share of the largest; label
    /// sets holding <paramref name="excludedLabelValue"/> are left out.
    /// </summary>
    /// <param name="id">The panel's element id, such as <c>placement</c>.</param>
    /// <param name="title">The heading.</param>
    /// <param name="description">The line under the heading; the window's length is appended.</param>
    /// <param name="family">A counter with both labels.</param>
    /// <param name="rowLabel">The label whose values are the rows.</param>
    /// <param name="columnLabel">The label whose values are the columns.</param>
    /// <param name="excludedLabelValue">A label value that stands for no row or column, such as <c>none</c>; none by default.</param>
    /// <param name="width">Columns of the row's 12; half by default.</param>
    public static PrometheusMetricsDashboardPanel HeatMap(
        string id, string title, string description, string family, string rowLabel, string columnLabel, string? excludedLabelValue = null, int width = 6)
    {
        ArgumentException.ThrowIfNullOrEmpty(family);
        ArgumentException.ThrowIfNullOrEmpty(rowLabel);
        ArgumentException.ThrowIfNullOrEmpty(columnLabel);
        return new(PrometheusMetricsDashboardPanelKind.HeatMap, id, title, description, width)
        {
            Family = family,
            Label = rowLabel,
            ColumnLabel = columnLabel,
            ExcludedLabelValue = excludedLabelValue,
        };
    }
}
