namespace Metrics.AspNetCore;

// What the dashboard page's script is told when it is served: where the stream is, which family selectors to ask it
// for, and which panels the registry can fill. A panel left null is hidden. Names are camelCased by DashboardJsonContext.

internal sealed class DashboardConfig
{
    public required string Stream { get; init; }

    public required double WindowSeconds { get; init; }

    public required int SparklinePoints { get; init; }

    /// <summary>The <c>family</c> parameters of the stream: every selector a panel below names.</summary>
    public required IReadOnlyList<string> Selectors { get; init; }

    public required DashboardPanels Panels { get; init; }
}

internal sealed class DashboardPanels
{
    public RequestsPanel? Requests { get; init; }

    public LatencyPanel? Latency { get; init; }

    public ProvidersPanel? Providers { get; init; }

    public CircuitsPanel? Circuits { get; init; }

    public RoutingPanel? Routing { get; init; }

    public IReadOnlyList<ResourceTile>? Resources { get; init; }
}

internal sealed class RequestsPanel
{
    public required string Total { get; init; }

    public required string ByStatus { get; init; }

    public required string StatusLabel { get; init; }
}

internal sealed class LatencyPanel
{
    public required string Family { get; init; }
}

internal sealed class ProvidersPanel
{
    public string? Tokens { get; init; }

    public string? Latency { get; init; }

    public required string Label { get; init; }

    public required string None { get; init; }
}

internal sealed class CircuitsPanel
{
    public required string Family { get; init; }

    public required string Label { get; init; }
}

internal sealed class RoutingPanel
{
    public required string Family { get; init; }

    public required string ModelLabel { get; init; }

    public required string ProviderLabel { get; init; }

    public required string None { get; init; }
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
