namespace Metrics.AspNetCore;

/// <summary>
/// Settings of the dashboard page of <c>MapMetricsDashboard</c>. The request, latency and resource panels read the
/// adapter's own families and the default collectors; the provider, circuit and routing panels read families the
/// application names here, which default to the sample LLM gateway's <c>llm_*</c> names. A panel whose families the
/// registry lacks (or that lack the named labels) is left off the page, so the page suits any application.
/// </summary>
public sealed class MetricsDashboardOptions
{
    /// <summary>The page's title and heading; <c>Metrics</c> by default.</summary>
    public string Title { get; set; } = "Metrics";

    /// <summary>The route of <c>MapMetricsUsageStream</c>, which the page reads; <c>/v1/usage/stream</c> by default.</summary>
    public string StreamPath { get; set; } = "/v1/usage/stream";

    /// <summary>How much history the charts show, at most what the sampler keeps; 5 minutes by default.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many of the latest points each provider and resource sparkline shows; 60 by default.</summary>
    public int SparklinePoints { get; set; } = 60;

    /// <summary>The label that names a provider (or backend, or tier) in the provider, circuit and routing families.</summary>
    public string ProviderLabel { get; set; } = "provider";

    /// <summary>The label that names a model in <see cref="RoutingFamily"/>.</summary>
    public string ModelLabel { get; set; } = "model";

    /// <summary>A label value meaning "no provider" or "no model", left out of the provider rows and the routing matrix; <c>none</c> by default.</summary>
    public string NoneLabelValue { get; set; } = "none";

    /// <summary>A counter of tokens with <see cref="ProviderLabel"/>, shown as tokens per second per provider; <c>llm_tokens_total</c> by default.</summary>
    public string ProviderTokensFamily { get; set; } = "llm_tokens_total";

    /// <summary>A histogram of durations in seconds with <see cref="ProviderLabel"/>, shown as p50 and p95 per provider; <c>llm_request_duration_seconds</c> by default.</summary>
    public string ProviderLatencyFamily { get; set; } = "llm_request_duration_seconds";

    /// <summary>A gauge with <see cref="ProviderLabel"/> holding 0 (closed), 1 (open) or 2 (half-open); <c>llm_circuit_state</c> by default.</summary>
    public string CircuitStateFamily { get; set; } = "llm_circuit_state";

    /// <summary>A counter with <see cref="ModelLabel"/> and <see cref="ProviderLabel"/>, shown as a model × provider heat map; <c>llm_requests_total</c> by default.</summary>
    public string RoutingFamily { get; set; } = "llm_requests_total";
}
