namespace Metrics.AspNetCore;

/// <summary>
/// Decides, from the families the registry holds now, which of the configured dashboard panels can be filled, how wide
/// each is on its row, and which selectors the page asks the stream for.
/// </summary>
internal sealed class DashboardConfigBuilder(MetricRegistry registry, PrometheusMetricsDashboardOptions options, PrometheusMetricsOptions adapterOptions)
{
    private const int RowWidth = 12;

    private readonly List<string> _selectors = [];

    public DashboardConfig Build(string streamPath)
    {
        _selectors.Clear();
        return new DashboardConfig
        {
            Stream = streamPath,
            WindowSeconds = options.Window.TotalSeconds,
            SparklinePoints = options.SparklinePoints,
            Panels = Layout(),
            Selectors = [.. _selectors],
        };
    }

    // Panels fill rows of 12 columns in order; when some panels of a row are left off, the others share the whole row.
    private List<DashboardPanelConfig> Layout()
    {
        var shown = new List<DashboardPanelConfig>();
        var row = new List<DashboardPanelConfig?>();
        var used = 0;
        foreach (var panel in options.Panels)
        {
            if (used + panel.Width > RowWidth)
            {
                CloseRow(row, shown);
                used = 0;
            }

            row.Add(Fill(panel));
            used += panel.Width;
        }

        CloseRow(row, shown);
        return shown;
    }

    private static void CloseRow(List<DashboardPanelConfig?> row, List<DashboardPanelConfig> shown)
    {
        var count = 0;
        foreach (var config in row)
        {
            count += config is null ? 0 : 1;
        }

        foreach (var config in row)
        {
            if (config is not null)
            {
                shown.Add(count == row.Count ? config : config with { Width = RowWidth / count });
            }
        }

        row.Clear();
    }

    private DashboardPanelConfig? Fill(PrometheusMetricsDashboardPanel panel) => panel.Kind switch
    {
        PrometheusMetricsDashboardPanelKind.Requests => Requests(panel),
        PrometheusMetricsDashboardPanelKind.Latency => Latency(panel),
        PrometheusMetricsDashboardPanelKind.Resources => Resources(panel),
        PrometheusMetricsDashboardPanelKind.SparklineTable => SparklineTable(panel),
        PrometheusMetricsDashboardPanelKind.StateBadges => StateBadges(panel),
        _ => HeatMap(panel),
    };

    private DashboardPanelConfig? Requests(PrometheusMetricsDashboardPanel panel)
    {
        var name = adapterOptions.Prefix + "http_requests_total";
        return Has(name, MetricType.Counter, "status")
            ? Panel(panel, "requests") with { Total = Select(name + "[]"), ByStatus = Select(name + "[status]"), Label = "status" }
            : null;
    }

    private DashboardPanelConfig? Latency(PrometheusMetricsDashboardPanel panel)
    {
        var name = adapterOptions.Prefix + "http_request_duration_seconds";
        return Has(name, MetricType.Histogram) ? Panel(panel, "latency") with { Family = Select(name + "[]"), Quantiles = adapterOptions.QuantilesOrDefault } : null;
    }

    private DashboardPanelConfig? Resources(PrometheusMetricsDashboardPanel panel)
    {
        var tiles = new List<ResourceTile>();
        var cores = Environment.ProcessorCount;
        Tile(tiles, "cpu", $"CPU (of {cores} cores)", "process_cpu_seconds_total", MetricType.Counter, "%", 100.0 / cores);
        Tile(tiles, "memory", "Memory (resident)", "process_resident_memory_bytes", MetricType.Gauge, "bytes");
        Tile(tiles, "gc-heap", "GC heap", "dotnet_gc_heap_size_bytes", MetricType.Gauge, "bytes");
        Tile(tiles, "gc-collections", "GC collections", "dotnet_gc_collections_total", MetricType.Counter, "/s");
        Tile(tiles, "threadpool-threads", "Thread pool threads", "dotnet_threadpool_threads", MetricType.Gauge, "");
        Tile(tiles, "threadpool-queue", "Thread pool queue", "dotnet_threadpool_queue_length", MetricType.Gauge, "");
        Tile(tiles, "connections", "Open connections", adapterOptions.Prefix + "http_connections_active", MetricType.Gauge, "");
        Tile(tiles, "in-flight", "Requests in flight", adapterOptions.Prefix + "http_requests_in_flight", MetricType.Gauge, "");
        return tiles.Count > 0 ? Panel(panel, "resources") with { Tiles = tiles } : null;
    }

    private DashboardPanelConfig? SparklineTable(PrometheusMetricsDashboardPanel panel)
    {
        var columns = new List<DashboardColumnConfig>();
        foreach (var column in panel.Columns!)
        {
            if (!Has(column.Family, column.Type, panel.Label!))
            {
                continue;
            }

            columns.Add(new DashboardColumnConfig
            {
                Name = column.Name,
                Title = column.Title,
                Kind = column.Type switch
                {
                    MetricType.Counter => "rate",
                    MetricType.Histogram => "quantile",
                    _ => "state",
                },
                // A state is one series' value, so its series are read as they are; rates and quantiles sum by the row.
                Selector = Select(column.Type == MetricType.Gauge ? column.Family : $"{column.Family}[{panel.Label}]"),
                Unit = column.Type == MetricType.Gauge ? null : column.Unit,
                Quantile = column.DrawnQuantile,
                SecondaryQuantile = column.SecondaryQuantile,
                States = column.States is { } states ? States(states) : null,
            });
        }

        return columns.Count > 0
            ? Panel(panel, "table") with { Label = panel.Label, LabelTitle = panel.LabelTitle, Exclude = panel.ExcludedLabelValue, Columns = columns }
            : null;
    }

    private DashboardPanelConfig? StateBadges(PrometheusMetricsDashboardPanel panel) =>
        Has(panel.Family!, MetricType.Gauge, panel.Label!)
            ? Panel(panel, "badges") with { Family = Select(panel.Family!), Label = panel.Label, States = States(panel.States!) }
            : null;

    private DashboardPanelConfig? HeatMap(PrometheusMetricsDashboardPanel panel) =>
        Has(panel.Family!, MetricType.Counter, panel.Label!, panel.ColumnLabel!)
            ? Panel(panel, "heatmap") with
            {
                Family = Select($"{panel.Family}[{panel.Label},{panel.ColumnLabel}]"),
                Label = panel.Label,
                ColumnLabel = panel.ColumnLabel,
                Exclude = panel.ExcludedLabelValue,
            }
            : null;

    private static DashboardPanelConfig Panel(PrometheusMetricsDashboardPanel panel, string kind) => new()
    {
        Id = panel.Id,
        Kind = kind,
        Title = panel.Title,
        Description = panel.Description,
        Width = panel.Width,
    };

    private static DashboardStateConfig[] States(IReadOnlyList<PrometheusMetricsDashboardState> states)
    {
        var result = new DashboardStateConfig[states.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = new DashboardStateConfig
            {
                Value = states[i].Value,
                Text = states[i].Text,
                Tone = states[i].Tone switch
                {
                    PrometheusMetricsDashboardTone.Good => "good",
                    PrometheusMetricsDashboardTone.Warning => "warning",
                    PrometheusMetricsDashboardTone.Bad => "bad",
                    _ => "neutral",
                },
            };
        }

        return result;
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
        if (!_selectors.Contains(selector))
        {
            _selectors.Add(selector);
        }

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
