namespace Metrics.AspNetCore;

// What the dashboard page's script is told when it is served: where the stream is, which family selectors to ask it
// for, and the panels the registry can fill, in page order with their widths. Names are camelCased by
// MetricsJsonContext, and properties a panel's kind does not use are left out.

internal sealed class DashboardConfig
{
    public required string Stream { get; init; }

    public required double WindowSeconds { get; init; }

    public required int SparklinePoints { get; init; }

    /// <summary>The <c>family</c> parameters of the stream: every selector a panel below names.</summary>
    public required IReadOnlyList<string> Selectors { get; init; }

    public required IReadOnlyList<DashboardPanelConfig> Panels { get; init; }
}

/// <summary>One shown panel; which of the optional properties are set depends on <see cref="Kind"/>.</summary>
internal sealed record DashboardPanelConfig
{
    public required string Id { get; init; }

    /// <summary><c>requests</c>, <c>latency</c>, <c>resources</c>, <c>table</c>, <c>badges</c> or <c>heatmap</c>.</summary>
    public required string Kind { get; init; }

    public required string Title { get; init; }

    public required string Description { get; init; }

    /// <summary>Columns of the row's 12 the panel takes on the page, after its row's hidden panels were given up.</summary>
    public required int Width { get; init; }

    /// <summary>Requests: the selector of all requests.</summary>
    public string? Total { get; init; }

    /// <summary>Requests: the selector of the requests by status.</summary>
    public string? ByStatus { get; init; }

    /// <summary>Latency, state badges and heat map: the selector the panel reads.</summary>
    public string? Family { get; init; }

    /// <summary>Requests: the status label. Table: the rows' label. Badges: the badges' label. Heat map: the rows' label.</summary>
    public string? Label { get; init; }

    /// <summary>Table: the heading of the rows' names.</summary>
    public string? LabelTitle { get; init; }

    /// <summary>Heat map: the columns' label.</summary>
    public string? ColumnLabel { get; init; }

    /// <summary>Latency: the quantiles of the history, one line each.</summary>
    public IReadOnlyList<double>? Quantiles { get; init; }

    /// <summary>Table and heat map: the label value that stands for no row or column.</summary>
    public string? Exclude { get; init; }

    public IReadOnlyList<DashboardColumnConfig>? Columns { get; init; }

    public IReadOnlyList<DashboardStateConfig>? States { get; init; }

    public IReadOnlyList<ResourceTile>? Tiles { get; init; }
}

/// <summary>One column of a table panel.</summary>
internal sealed class DashboardColumnConfig
{
    public required string Name { get; init; }

    public required string Title { get; init; }

    /// <summary><c>rate</c>, <c>quantile</c> or <c>state</c>.</summary>
    public required string Kind { get; init; }

    public required string Selector { get; init; }

    public string? Unit { get; init; }

    public double? Quantile { get; init; }

    public double? SecondaryQuantile { get; init; }

    public IReadOnlyList<DashboardStateConfig>? States { get; init; }
}

/// <summary>The badge of one gauge value.</summary>
internal sealed class DashboardStateConfig
{
    public required double Value { get; init; }

    public required string Text { get; init; }

    /// <summary><c>neutral</c>, <c>good</c>, <c>warning</c> or <c>bad</c>.</summary>
    public required string Tone { get; init; }
}

/// <summary>One tile of the resource grid: the latest value, with a sparkline.</summary>
internal sealed class ResourceTile
{
    public required string Name { get; init; }

    public required string Label { get; init; }

    public required string Selector { get; init; }

    /// <summary><c>rate</c> for counters, <c>value</c> for gauges.</summary>
    public required string Kind { get; init; }

    /// <summary><c>%</c>, <c>bytes</c>, <c>/s</c> or empty.</summary>
    public required string Unit { get; init; }

    /// <summary>Multiplies each value before display, such as 100 / cores to turn CPU seconds per second into percent.</summary>
    public required double Scale { get; init; }
}
