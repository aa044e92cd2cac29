namespace Gateway.Configuration;

/// <summary>The <c>Gateway</c> section of the configuration: providers, models, accounts and behaviour.</summary>
internal sealed class GatewayOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Gateway";

    /// <summary>The default request body limit: 4 MiB.</summary>
    public const long DefaultMaxRequestBodyBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Whether the gateway records its metrics and serves <c>/metrics</c>. Off, it proxies the same way and records
    /// nothing, which is the baseline for measuring what metrics cost.
    /// </summary>
    public bool MetricsEnabled { get; set; } = true;

    /// <summary>The largest request body the LLM endpoints accept; larger ones get 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = DefaultMaxRequestBodyBytes;

    /// <summary>Upstream providers by name; the name is the <c>provider</c> label.</summary>
    public Dictionary<string, ProviderOptions> Providers { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Models by the name clients ask for; the name is the <c>model</c> label.</summary>
    public Dictionary<string, ModelOptions> Models { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Accounts by name; the name is the <c>account</c> label, never the key.</summary>
    public Dictionary<string, AccountOptions> Accounts { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Retries, circuit breaker and timeouts, per provider.</summary>
    public ResilienceOptions Resilience { get; init; } = new();

    /// <summary>The periodic backend probes.</summary>
    public HealthCheckOptions HealthChecks { get; init; } = new();

    /// <summary>Settings shared by every simulated provider.</summary>
    public SimulationOptions Simulation { get; init; } = new();
}
