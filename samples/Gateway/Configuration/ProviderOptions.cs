namespace Gateway.Configuration;

/// <summary>One upstream provider. Without <see cref="BaseUrl"/> the gateway starts a simulated one in-process.</summary>
internal sealed class ProviderOptions
{
    /// <summary>The protocol the provider speaks.</summary>
    public ProviderStyle Style { get; set; } = ProviderStyle.OpenAI;

    /// <summary>
    /// The URL that API paths are appended to, such as <c>https://api.openai.com</c> (requests go to
    /// <c>{BaseUrl}/v1/chat/completions</c>). Null or empty means a simulated provider on a loopback port.
    /// </summary>
    public string? BaseUrl { get; set; }

    /// <summary>The key the gateway presents upstream. Never logged or exposed.</summary>
    public string? ApiKey { get; set; }

    /// <summary>How the simulated provider behaves; ignored when <see cref="BaseUrl"/> is set.</summary>
    public SimulatedProviderOptions Simulation { get; init; } = new();

    /// <summary>Whether the gateway simulates this provider.</summary>
    public bool IsSimulated => string.IsNullOrWhiteSpace(BaseUrl);
}
