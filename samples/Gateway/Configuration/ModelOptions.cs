namespace Gateway.Configuration;

/// <summary>A model clients can ask for, and the providers that serve it.</summary>
internal sealed class ModelOptions
{
    /// <summary>
    /// Provider names in order of preference. The first serves; on a retryable failure the next takes over.
    /// All must speak the same protocol.
    /// </summary>
    public List<string> Providers { get; init; } = [];
}
