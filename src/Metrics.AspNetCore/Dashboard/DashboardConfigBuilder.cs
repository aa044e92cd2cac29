namespace Metrics.AspNetCore;

/// <summary>
/// Decides, from the families the registry holds now, which dashboard panels can be filled and which selectors the
/// page asks the stream for.
/// </summary>
internal sealed class DashboardConfigBuilder(MetricRegistry registry, MetricsDashboardOptions options, string adapterPrefix)
{
    private readonly List<string> _selectors = [];

    public DashboardConfig Build(string streamPath)
    {
        _selectors.Clear();
        var panels = new DashboardPanels
        {
            Requests = Requests(),
            Latency = Has(adapterPrefix + "http_request_duration_seconds", MetricType.Histogram)
                ? new LatencyPanel { Family = Select(adapterPrefix + "http_request_duration_seconds[]") }
                : null,
            Providers = Providers(),
            Circuits = Has(options.CircuitStateFamily, MetricType.Gauge, options.ProviderLabel)
                ? new CircuitsPanel { Family = Select(options.CircuitStateFamily), Label = options.ProviderLabel }
                : null,
            Routing = Has(options.RoutingFamily, MetricType.Counter, options.ModelLabel, options.ProviderLabel)
                ? new RoutingPanel
                {
                    Family = Select($"{options.RoutingFamily}[{options.ModelLabel},{options.ProviderLabel}]"),
                    ModelLabel = options.ModelLabel,
                    ProviderLabel = options.ProviderLabel,
                    None = options.NoneLabelValue,
                }
                : null,
            Resources = Resources(),
        };
        return new DashboardConfig
        {
            Stream = streamPath,
            WindowSeconds = options.Window.TotalSeconds,
            SparklinePoints = options.SparklinePoints,
            Selectors = [.. _selectors],
            Panels = panels,
        };
    }

    private RequestsPanel? Requests()
    {
        var name = adapterPrefix + "http_requests_total";
        return Has(name, MetricType.Counter, "status")
            ? new RequestsPanel { Total = Select(name + "[]"), ByStatus = Select(name + "[status]"), StatusLabel = "status" }
            : null;
    }

    private ProvidersPanel? Providers()
    {
        var tokens = Has(options.ProviderTokensFamily, MetricType.Counter, options.ProviderLabel);
        var latency = Has(options.ProviderLatencyFamily, MetricType.Histogram, options.ProviderLabel);
        return tokens || latency
            ? new ProvidersPanel
            {
                Tokens = tokens ? Select($"{options.ProviderTokensFamily}[{options.ProviderLabel}]") : null,
                Latency = latency ? Select($"{options.ProviderLatencyFamily}[{options.ProviderLabel}]") : null,
                Label = options.ProviderLabel,
                None = options.NoneLabelValue,
            }
            : null;
    }

    private List<ResourceTile>? Resources()
    {
        var tiles = new List<ResourceTile>();
        var cores = Environment.ProcessorCount;
        Tile(tiles, "cpu", $"CPU (of {cores} cores)", "process_cpu_seconds_total", MetricType.Counter, "%", 100.0 / cores);
        Tile(tiles, "memory", "Memory (resident)", "process_resident_memory_bytes", MetricType.Gauge, "bytes");
        Tile(tiles, "gc-heap", "GC heap", "dotnet_gc_heap_size_bytes", MetricType.Gauge, "bytes");
        Tile(tiles, "gc-collections", "GC collections", "dotnet_gc_collections_total", MetricType.Counter, "/s");
        Tile(tiles, "threadpool-threads", "Thread pool threads", "dotnet_threadpool_threads", MetricType.Gauge, "");
        Tile(tiles, "threadpool-queue", "Thread pool queue", "dotnet_threadpool_queue_length", MetricType.Gauge, "");
        Tile(tiles, "connections", "Open connections", adapterPrefix + "http_connections_active", MetricType.Gauge, "");
        Tile(tiles, "in-flight", "Requests in flight", adapterPrefix + "http_requests_in_flight", MetricType.Gauge, "");
        return tiles.Count > 0 ? tiles : null;
    }

    private void Tile(List<ResourceTile> tiles, string name, string label, string family, MetricType type, string unit, double scale = 1)
    {
        if (Has(family, type))
        {
            tiles.Add(new ResourceTile
            {
                Name = name,
                Label = label,
                Selector = Select(family + "[]"),
                Kind = type == MetricType.Counter ? "rate" : "value",
                Unit = unit,
                Scale = scale,
            });
        }
    }

    private string Select(string selector)
    {
        _selectors.Add(selector);
        return selector;
    }

    private bool Has(string name, MetricType type, params ReadOnlySpan<string> labels)
    {
        foreach (var family in registry.Families)
        {
            if (family.Name == name)
            {
                return family.Type == type && HasLabels(family, labels);
            }
        }

        return false;
    }

    private static bool HasLabels(MetricFamily family, ReadOnlySpan<string> labels)
    {
        foreach (var label in labels)
        {
            if (!family.LabelNames.Contains(label))
            {
                return false;
            }
        }

        return true;
    }
}
