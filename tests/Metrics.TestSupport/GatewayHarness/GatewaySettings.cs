namespace Metrics.Testing.GatewayHarness;

/// <summary>
/// The configuration a test gateway starts with: two OpenAI-style and two Anthropic-style simulated providers that
/// answer at once, a model on each pair, two accounts with generous limits, and resilience settings tuned so that
/// one request's two failed attempts open a circuit while a single failure in two does not.
/// </summary>
internal sealed class GatewaySettings
{
    public const string OpenAIPrimary = "openai-primary";
    public const string OpenAISecondary = "openai-secondary";
    public const string AnthropicPrimary = "anthropic-primary";
    public const string AnthropicSecondary = "anthropic-secondary";
    public const string GptModel = "gpt-test";
    public const string ClaudeModel = "claude-test";
    public const int CompletionTokens = 8;

    public GatewaySettings()
    {
        Values["Urls"] = "http://127.0.0.1:0";
        Values["Gateway:ManagementUrls"] = "http://127.0.0.1:0";
        foreach (var (name, style) in (ReadOnlySpan<(string, string)>)[
            (OpenAIPrimary, "OpenAI"), (OpenAISecondary, "OpenAI"), (AnthropicPrimary, "Anthropic"), (AnthropicSecondary, "Anthropic")])
        {
            SimulatedProvider(name, style);
        }

        Model(GptModel, OpenAIPrimary, OpenAISecondary);
        Model(ClaudeModel, AnthropicPrimary, AnthropicSecondary);
        Account("alpha", TestKeys.Alpha, requestsPerMinute: 60_000, burst: 10_000);
        Account("beta", TestKeys.Beta, requestsPerMinute: 60_000, burst: 10_000);
        Set("Gateway:Resilience:MaxRetryAttempts", "1");
        Set("Gateway:Resilience:RetryDelay", "00:00:00.010");
        Set("Gateway:Resilience:RetryJitter", "false");
        Set("Gateway:Resilience:AttemptTimeout", "00:00:05");
        Set("Gateway:Resilience:TotalTimeout", "00:00:30");
        Set("Gateway:Resilience:FailureRatio", "0.75");
        Set("Gateway:Resilience:MinimumThroughput", "2");
        Set("Gateway:Resilience:SamplingDuration", "00:01:00");
        Set("Gateway:Resilience:BreakDuration", "00:01:00");
        Set("Gateway:Resilience:ResponseIdleTimeout", "00:00:05");
        Set("Gateway:HealthChecks:Interval", "00:10:00");
    }

    public Dictionary<string, string?> Values { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The lowest level the captured logs record.</summary>
    public LogLevel LogLevel { get; set; } = LogLevel.Information;

    public GatewaySettings Set(string key, string? value)
    {
        Values[key] = value;
        return this;
    }

    public GatewaySettings SimulatedProvider(string name, string style)
    {
        var prefix = $"Gateway:Providers:{name}:";
        Set(prefix + "Style", style);
        Set(prefix + "Simulation:LatencyMedianMs", "0");
        Set(prefix + "Simulation:FirstTokenMedianMs", "0");
        Set(prefix + "Simulation:TokenIntervalMs", "0");
        Set(prefix + "Simulation:LatencySigma", "0");
        Set(prefix + "Simulation:CompletionTokens", CompletionTokens.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Set(prefix + "Simulation:RetryAfterSeconds", "0");
        return this;
    }

    public GatewaySettings RealProvider(string name, string style, Uri baseUrl, string apiKey)
    {
        var prefix = $"Gateway:Providers:{name}:";
        Set(prefix + "Style", style);
        Set(prefix + "BaseUrl", baseUrl.AbsoluteUri);
        Set(prefix + "ApiKey", apiKey);
        return this;
    }

    public GatewaySettings Model(string name, params string[] providers)
    {
        for (var i = 0; i < providers.Length; i++)
        {
            Set($"Gateway:Models:{name}:Providers:{i}", providers[i]);
        }

        return this;
    }

    public GatewaySettings Account(string name, string key, int requestsPerMinute, int burst, bool demo = false)
    {
        var prefix = $"Gateway:Accounts:{name}:";
        Set(prefix + "ApiKey", key);
        Set(prefix + "RequestsPerMinute", requestsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Set(prefix + "Burst", burst.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Set(prefix + "Demo", demo ? "true" : "false");
        return this;
    }
}
