using Gateway.Configuration;
using Gateway.Surfaces;
using Metrics;

namespace Gateway.Telemetry;

/// <summary>
/// The gateway's metric families, registered once on the shared registry. Call sites hold the per-provider,
/// per-route and per-account handles (<see cref="ProviderMetrics"/>, <see cref="RouteMetrics"/>,
/// <see cref="AccountMetrics"/>) and resolve them at start-up, so a request never looks a label set up.
/// </summary>
internal sealed class GatewayMetrics
{
    /// <summary>The <c>provider</c> and <c>model</c> label value of requests the gateway answered itself.</summary>
    public const string None = "none";

    private readonly MetricFamily<Counter> _errors;
    private readonly MetricFamily<Counter> _failovers;
    private readonly Counter _streamBytesIn;
    private readonly Counter _streamBytesOut;
    private readonly Counter _tokensIssued;
    private readonly Counter _tokensRevoked;
    private readonly Counter?[,] _translations;

    /// <summary>Registers every family on <paramref name="registry"/>.</summary>
    public GatewayMetrics(MetricRegistry registry, GatewayOptions options)
    {
        Registry = registry;
        Enabled = options.MetricsEnabled;
        Requests = registry.CreateCounterFamily(
            "llm_requests_total",
            "LLM API requests by surface, serving provider, model and the HTTP status returned to the client; provider and model are \"none\" where the gateway answered itself.",
            ["surface", "provider", "model", "status"]);
        // Both classic and native: text scrapers keep these buckets, and Prometheus with native histograms gets
        // sparse buckets whose quantiles hold within the schema's relative error at any latency.
        Duration = registry.CreateNativeHistogramFamily(
            "llm_request_duration_seconds",
            "Time from receiving an LLM request to the end of its response, by serving provider and model.",
            ["provider", "model"],
            new NativeHistogramOptions { ClassicBuckets = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300] });
        TimeToFirstToken = registry.CreateNativeHistogramFamily(
            "llm_time_to_first_token_seconds",
            "Time from receiving a streaming LLM request to the first streamed bytes from the provider.",
            ["provider", "model"],
            new NativeHistogramOptions { ClassicBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });
        _errors = registry.CreateCounterFamily(
            "llm_errors_total",
            "Failures by kind and provider: each provider failure after its retries, and each request the gateway refused (provider \"none\").",
            ["error_type", "provider"]);
        Retries = registry.CreateCounterFamily("llm_retries_total", "Retry attempts made by each provider's Polly retry strategy.", ["provider"]);
        _failovers = registry.CreateCounterFamily("llm_failovers_total", "Requests passed from a failed provider to the next one in the model's chain.", ["from", "to"]);
        CircuitState = registry.CreateGaugeFamily("llm_circuit_state", "State of each provider's Polly circuit breaker: 0 closed, 1 open, 2 half-open.", ["provider"]);
        Tokens = registry.CreateCounterFamily("llm_tokens_total", "Tokens reported by providers, by provider, model and type (prompt or completion).", ["provider", "model", "type"]);
        HealthCheckDuration = registry.CreateHistogramFamily(
            "llm_backend_health_check_duration_seconds",
            "Duration of the periodic backend probes, successful or not.",
            ["provider"],
            [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]);
        AccountRequests = registry.CreateCounterFamily("llm_account_requests_total", "Authenticated LLM requests by account, including rate-limited ones.", ["account"]);
        RateLimited = registry.CreateCounterFamily("llm_rate_limited_total", "LLM requests refused with 429 by the account's rate limit.", ["account"]);
        AccountTokens = registry.CreateCounterFamily("llm_account_tokens_total", "Tokens used by each account, by type (prompt or completion).", ["account", "type"]);
        var streamBytes = registry.CreateCounterFamily(
            "llm_stream_bytes_total",
            "Bytes of streaming responses: \"in\" read from providers, \"out\" written to clients (including error events).",
            ["direction"]);
        _streamBytesIn = streamBytes.WithLabels("in");
        _streamBytesOut = streamBytes.WithLabels("out");
        var translations = registry.CreateCounterFamily(
            "llm_translations_total",
            "Requests translated from the client's API (from_surface) into a provider's (to_style), once per request and provider API.",
            ["from_surface", "to_style"]);
        _translations = new Counter?[ApiSurface.All.Count, 2];
        foreach (var surface in ApiSurface.All)
        {
            foreach (var style in (ReadOnlySpan<ProviderStyle>)[ProviderStyle.OpenAI, ProviderStyle.Anthropic])
            {
                if (style != surface.Style && surface.Generates)
                {
                    _translations[surface.Index, (int)style] = translations.WithLabels(surface.Label, style == ProviderStyle.OpenAI ? "openai" : "anthropic");
                }
            }
        }

        _tokensIssued = registry.CreateCounter("llm_gateway_tokens_issued_total", "Gateway API tokens issued through POST /v1/tokens.");
        _tokensRevoked = registry.CreateCounter("llm_gateway_tokens_revoked_total", "Gateway API tokens revoked through DELETE /v1/tokens/{id}.");
    }

    /// <summary>Whether anything is recorded; see <see cref="GatewayOptions.MetricsEnabled"/>.</summary>
    public bool Enabled { get; }

    /// <summary>The registry the families live on.</summary>
    public MetricRegistry Registry { get; }

    /// <summary><c>llm_requests_total{surface,provider,model,status}</c>.</summary>
    public MetricFamily<Counter> Requests { get; }

    /// <summary><c>llm_request_duration_seconds{provider,model}</c>.</summary>
    public MetricFamily<NativeHistogram> Duration { get; }

    /// <summary><c>llm_time_to_first_token_seconds{provider,model}</c>.</summary>
    public MetricFamily<NativeHistogram> TimeToFirstToken { get; }

    /// <summary><c>llm_retries_total{provider}</c>.</summary>
    public MetricFamily<Counter> Retries { get; }

    /// <summary><c>llm_circuit_state{provider}</c>.</summary>
    public MetricFamily<Gauge> CircuitState { get; }

    /// <summary><c>llm_tokens_total{provider,model,type}</c>.</summary>
    public MetricFamily<Counter> Tokens { get; }

    /// <summary><c>llm_backend_health_check_duration_seconds{provider}</c>.</summary>
    public MetricFamily<Histogram> HealthCheckDuration { get; }

    /// <summary><c>llm_account_requests_total{account}</c>.</summary>
    public MetricFamily<Counter> AccountRequests { get; }

    /// <summary><c>llm_rate_limited_total{account}</c>.</summary>
    public MetricFamily<Counter> RateLimited { get; }

    /// <summary><c>llm_account_tokens_total{account,type}</c>.</summary>
    public MetricFamily<Counter> AccountTokens { get; }

    /// <summary>Counts a request that the gateway answered without a provider: refused, invalid or unroutable.</summary>
    public void RecordGatewayAnswer(ApiSurface surface, string model, int status)
    {
        if (Enabled)
        {
            Requests.WithLabels([surface.Label, None, model, StatusLabels.Of(status)]).Inc();
        }
    }

    /// <summary>Counts one failure of <paramref name="errorType"/> at <paramref name="provider"/> (or <see cref="None"/>).</summary>
    public void RecordError(string errorType, string provider)
    {
        if (Enabled)
        {
            _errors.WithLabels(errorType, provider).Inc();
        }
    }

    /// <summary>Counts a request passed from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public void RecordFailover(string from, string to)
    {
        if (Enabled)
        {
            _failovers.WithLabels(from, to).Inc();
        }
    }

    /// <summary>Counts the bytes of one relayed stream.</summary>
    public void RecordStreamBytes(long bytesIn, long bytesOut)
    {
        if (Enabled)
        {
            _streamBytesIn.Inc(bytesIn);
            _streamBytesOut.Inc(bytesOut);
        }
    }

    /// <summary>Counts a request from <paramref name="surface"/> translated for a provider of <paramref name="style"/>.</summary>
    public void RecordTranslation(ApiSurface surface, ProviderStyle style)
    {
        if (Enabled)
        {
            _translations[surface.Index, (int)style]?.Inc();
        }
    }

    /// <summary>Counts an issued gateway token.</summary>
    public void RecordTokenIssued()
    {
        if (Enabled)
        {
            _tokensIssued.Inc();
        }
    }

    /// <summary>Counts a revoked gateway token.</summary>
    public void RecordTokenRevoked()
    {
        if (Enabled)
        {
            _tokensRevoked.Inc();
        }
    }
}
