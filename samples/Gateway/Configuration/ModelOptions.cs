namespace Gateway.Configuration;

/// <summary>A model clients can ask for, and the providers that serve it.</summary>
internal sealed class ModelOptions
{
    /// <summary>
    /// Provider names in order of preference. The first serves; on a retryable failure the next takes over. The
    /// chain may mix OpenAI-style and Anthropic-style providers: a request is translated for each provider whose API
    /// differs from the client's.
    /// </summary>
    public List<string> Providers { get; init; } = [];

    /// <summary>
    /// The model's name at each provider that knows it by another name, by provider name; a provider left out is
    /// sent the name clients use. A chain that crosses APIs needs it: an OpenAI-style fallback of a Claude model
    /// serves some model of its own.
    /// </summary>
    public Dictionary<string, string> UpstreamModels { get; init; } = new(StringComparer.Ordinal);
}
