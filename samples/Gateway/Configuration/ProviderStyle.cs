namespace Gateway.Configuration;

/// <summary>The wire protocol a provider speaks.</summary>
internal enum ProviderStyle
{
    /// <summary>OpenAI's API: <c>/v1/chat/completions</c> and <c>/v1/responses</c>, bearer keys.</summary>
    OpenAI,

    /// <summary>Anthropic's API: <c>/v1/messages</c>, <c>x-api-key</c> and <c>anthropic-version</c> headers.</summary>
    Anthropic,
}
