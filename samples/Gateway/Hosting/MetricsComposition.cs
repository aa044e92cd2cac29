using Gateway.Configuration;
using Gateway.Telemetry;
using Metrics.AspNetCore;
using Microsoft.AspNetCore.Hosting;

namespace Gateway.Hosting;

/// <summary>
/// The one place where the gateway plugs Metrics.AspNetCore into ASP.NET Core: the registry and request metrics in
/// the container, Kestrel connection metrics, and the middleware and endpoints at the front of the pipeline.
/// Everything else in the gateway only records into the registry. With <see cref="GatewayOptions.MetricsEnabled"/>
/// off, the registry still exists (so the code that records needs no branches) but nothing is served, and request
/// and connection metrics are not installed.
/// </summary>
internal static class MetricsComposition
{
    /// <summary>The configuration section that binds the adapter's options (prefix, buckets, excluded paths, …).</summary>
    public const string SectionName = "PrometheusMetrics";

    /// <summary>
    /// The sampler behind the dashboard: one point a second, so the page moves at the stream's 1 Hz, and 1,800 points,
    /// which is 30 minutes. At the gateway's few hundred series that is a few megabytes (8 bytes per point per counter
    /// or gauge series, 8 per bucket for histograms).
    /// </summary>
    public static readonly TimeSpan HistoryInterval = TimeSpan.FromSeconds(1);

    /// <summary>How many points of <see cref="HistoryInterval"/> the sampler keeps.</summary>
    public const int HistoryCapacity = 1_800;

    /// <summary>
    /// Registers the registry the whole gateway records into, the adapter's options, connection metrics, and the
    /// history sampler of the live endpoints and the dashboard.
    /// </summary>
    public static void AddMetrics(WebApplicationBuilder builder, GatewayOptions options)
    {
        builder.Services.AddPrometheusMetrics(builder.Configuration.GetSection(SectionName));
        if (options.MetricsEnabled)
        {
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.UsePrometheusConnectionMetrics()));
            builder.Services.AddPrometheusMetricsHistory(static history =>
            {
                history.Interval = HistoryInterval;
                history.Capacity = HistoryCapacity;
            });
        }
    }

    /// <summary>
    /// Adds request metrics. It runs right after routing: the matched endpoint is known on entry, so the scrape itself
    /// never shows in <c>http_requests_in_flight</c>, and every request that authentication and rate limiting turn
    /// away is still recorded.
    /// </summary>
    public static void UseMetrics(WebApplication app, GatewayOptions options)
    {
        if (options.MetricsEnabled)
        {
            app.UsePrometheusRequestMetrics();
        }
    }

    /// <summary>
    /// Maps the <c>/metrics</c> and <c>/v1/usage</c> endpoints, the history, stream and WebSocket endpoints under
    /// <c>/v1/usage/</c>, and the <c>/dashboard</c> page into <paramref name="operators"/>: they show every tenant's
    /// usage, so the gateway serves them on its management listener only.
    /// </summary>
    public static void MapMetricsEndpoints(IEndpointRouteBuilder operators, GatewayOptions options)
    {
        if (!options.MetricsEnabled)
        {
            return;
        }

        operators.MapPrometheusMetrics("/metrics");
        operators.MapPrometheusMetricsSnapshot("/v1/usage");
        operators.MapPrometheusMetricsHistory("/v1/usage/history");
        operators.MapPrometheusMetricsStream("/v1/usage/stream");
        operators.MapPrometheusMetricsWebSocket("/v1/usage/ws");
        operators.MapPrometheusMetricsDashboard("/dashboard", ConfigureDashboard);
    }

    /// <summary>
    /// The dashboard: the adapter's request and latency panels, then the providers (tokens, latency and circuit per
    /// provider) beside the model × provider routing heat map, then the resources beside the circuit breakers.
    /// </summary>
    private static void ConfigureDashboard(PrometheusMetricsDashboardOptions dashboard)
    {
        PrometheusMetricsDashboardState[] circuitStates =
        [
            new(0, "closed", PrometheusMetricsDashboardTone.Good),
            new(1, "open", PrometheusMetricsDashboardTone.Bad),
            new(2, "half-open", PrometheusMetricsDashboardTone.Warning),
        ];
        dashboard.Title = "LLM gateway";
        dashboard.StreamPath = "/v1/usage/stream";
        dashboard.Panels.Clear();
        dashboard.Panels.Add(PrometheusMetricsDashboardPanel.Requests());
        dashboard.Panels.Add(PrometheusMetricsDashboardPanel.Latency());
        dashboard.Panels.Add(PrometheusMetricsDashboardPanel.SparklineTable(
            "providers",
            "Providers",
            "Tokens per second and median latency, per provider",
            "provider",
            "Provider",
            [
                PrometheusMetricsDashboardColumn.State("circuit", "Circuit", "llm_circuit_state", circuitStates),
                PrometheusMetricsDashboardColumn.Rate("tokens", "Tokens / s", "llm_tokens_total"),
                PrometheusMetricsDashboardColumn.Quantile("latency", "Latency p50 (p95)", "llm_request_duration_seconds", 0.5, 0.95),
            ],
            excludedLabelValue: GatewayMetrics.None,
            width: 7));
        dashboard.Panels.Add(PrometheusMetricsDashboardPanel.HeatMap(
            "routing", "Routing", "Requests by model and serving provider", "llm_requests_total", "model", "provider", GatewayMetrics.None, width: 5));
        dashboard.Panels.Add(PrometheusMetricsDashboardPanel.Resources(width: 8));
        dashboard.Panels.Add(PrometheusMetricsDashboardPanel.StateBadges(
            "circuits", "Circuit breakers", "State of each provider's circuit breaker", "llm_circuit_state", "provider", circuitStates, width: 4));
    }
}
