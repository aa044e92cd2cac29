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

    /// <summary>The default of <see cref="MaxOutputTokens"/>: 131,072.</summary>
    public const int DefaultMaxOutputTokens = 131_072;

    /// <summary>The default management listener: loopback only, port 5081.</summary>
    public const string DefaultManagementUrls = "http://127.0.0.1:5081";

    /// <summary>The largest request body the LLM endpoints accept; larger ones get 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = DefaultMaxRequestBodyBytes;

    /// <summary>
    /// The most output tokens a request may ask for in <c>max_tokens</c>, <c>max_completion_tokens</c> or
    /// <c>max_output_tokens</c>; a larger (or non-positive, or non-integer) value gets 400 before any provider is asked.
    /// </summary>
    public int MaxOutputTokens { get; set; } = DefaultMaxOutputTokens;

    /// <summary>
    /// Where the operator endpoints listen (<c>/metrics</c>, <c>/v1/usage</c>, <c>/dashboard</c>, <c>/v1/stats</c>,
    /// <c>/v1/accounts</c>, <c>/simulator/...</c>): one or more URLs separated by <c>;</c>, as <c>--urls</c> takes them.
    /// They answer without a key, so they must stay on loopback unless <see cref="AllowRemoteManagement"/> is set.
    /// </summary>
    public string ManagementUrls { get; set; } = DefaultManagementUrls;

    /// <summary>Lets <see cref="ManagementUrls"/> bind beyond loopback, for a network that only operators reach.</summary>
    public bool AllowRemoteManagement { get; set; }

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

    /// <summary>Limits on the gateway tokens accounts issue for themselves.</summary>
    public TokenOptions Tokens { get; init; } = new();

    /// <summary>Settings shared by every simulated provider.</summary>
    public SimulationOptions Simulation { get; init; } = new();
}
