using Gateway.Configuration;

namespace Gateway.Surfaces;

/// <summary>
/// One client-facing LLM API: its path, the protocol its providers must speak, and its <c>surface</c> label.
/// Instances are also endpoint metadata, so authentication and rate limiting answer in the surface's own error shape.
/// </summary>
internal sealed class ApiSurface
{
    /// <summary>OpenAI Chat Completions.</summary>
    public static readonly ApiSurface OpenAIChat = new("openai_chat", "/v1/chat/completions", ProviderStyle.OpenAI, "messages", "OpenAI Chat Completions", 0);

    /// <summary>OpenAI Responses.</summary>
    public static readonly ApiSurface OpenAIResponses = new("openai_responses", "/v1/responses", ProviderStyle.OpenAI, "input", "OpenAI Responses", 1);

    /// <summary>Anthropic Messages.</summary>
    public static readonly ApiSurface AnthropicMessages = new("anthropic_messages", "/v1/messages", ProviderStyle.Anthropic, "messages", "Anthropic Messages", 2);

    /// <summary>Anthropic's token count of a Messages request, which generates nothing and reports no usage.</summary>
    public static readonly ApiSurface AnthropicCountTokens = new(
        "anthropic_count_tokens", "/v1/messages/count_tokens", ProviderStyle.Anthropic, "messages", "Anthropic Messages token count", 3);

    private ApiSurface(string label, string path, ProviderStyle style, string inputField, string displayName, int index)
    {
        Index = index;
        Label = label;
        Path = path;
        Style = style;
        InputField = inputField;
        DisplayName = displayName;
    }

    /// <summary>Every surface, in a fixed order.</summary>
    public static IReadOnlyList<ApiSurface> All { get; } = [OpenAIChat, OpenAIResponses, AnthropicMessages, AnthropicCountTokens];

    /// <summary>The surface's position in <see cref="All"/>, for per-surface arrays.</summary>
    public int Index { get; }

    /// <summary>The value of the <c>surface</c> label.</summary>
    public string Label { get; }

    /// <summary>The request path, the same on the gateway and upstream.</summary>
    public string Path { get; }

    /// <summary>The protocol of the surface, its providers and its error bodies.</summary>
    public ProviderStyle Style { get; }

    /// <summary>The request field that carries the conversation: <c>messages</c>, or <c>input</c> for Responses.</summary>
    public string InputField { get; }

    /// <summary>The API's name, for error messages.</summary>
    public string DisplayName { get; }

    /// <summary>Whether a request on this surface generates an answer, with usage and possibly a stream.</summary>
    public bool Generates => this != AnthropicCountTokens;

    /// <inheritdoc />
    public override string ToString() => Label;
}
