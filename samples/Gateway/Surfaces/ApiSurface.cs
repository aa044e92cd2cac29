using Gateway.Configuration;

namespace Gateway.Surfaces;

/// <summary>
/// One client-facing LLM API: its path, the protocol its providers must speak, and its <c>surface</c> label.
/// Instances are also endpoint metadata, so authentication and rate limiting answer in the surface's own error shape.
/// </summary>
internal sealed class ApiSurface
{
    /// <summary>OpenAI Chat Completions.</summary>
    public static readonly ApiSurface OpenAIChat = new("openai_chat", "/v1/chat/completions", ProviderStyle.OpenAI, "messages", "OpenAI Chat Completions");

    /// <summary>OpenAI Responses.</summary>
    public static readonly ApiSurface OpenAIResponses = new("openai_responses", "/v1/responses", ProviderStyle.OpenAI, "input", "OpenAI Responses");

    /// <summary>Anthropic Messages.</summary>
    public static readonly ApiSurface AnthropicMessages = new("anthropic_messages", "/v1/messages", ProviderStyle.Anthropic, "messages", "Anthropic Messages");

    private ApiSurface(string label, string path, ProviderStyle style, string inputField, string displayName)
    {
        Label = label;
        Path = path;
        Style = style;
        InputField = inputField;
        DisplayName = displayName;
    }

    /// <summary>Every surface, in a fixed order.</summary>
    public static IReadOnlyList<ApiSurface> All { get; } = [OpenAIChat, OpenAIResponses, AnthropicMessages];

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

    /// <summary>The surface served by providers of <paramref name="style"/> that clients use by default.</summary>
    public static ApiSurface DefaultFor(ProviderStyle style) => style == ProviderStyle.Anthropic ? AnthropicMessages : OpenAIChat;

    /// <inheritdoc />
    public override string ToString() => Label;
}
