using Gateway.Configuration;
using Gateway.Surfaces;

namespace Gateway.Translation;

/// <summary>What translating a provider's answer back needs from the client's request.</summary>
internal sealed class TranslationContext
{
    /// <summary>Creates the context of a request from <paramref name="clientSurface"/> served in <paramref name="upstreamStyle"/>.</summary>
    public TranslationContext(ApiSurface clientSurface, ProviderStyle upstreamStyle)
    {
        ClientSurface = clientSurface;
        UpstreamStyle = upstreamStyle;
    }

    /// <summary>The API the client speaks.</summary>
    public ApiSurface ClientSurface { get; }

    /// <summary>The API of the provider.</summary>
    public ProviderStyle UpstreamStyle { get; }

    /// <summary>Whether an OpenAI Chat client asked for a final usage chunk (<c>stream_options.include_usage</c>).</summary>
    public bool IncludeUsage { get; set; }

    /// <summary>
    /// Request fields a Responses object repeats (<c>instructions</c>, <c>max_output_tokens</c>, <c>temperature</c>,
    /// <c>top_p</c>, <c>tools</c>, <c>tool_choice</c>, <c>parallel_tool_calls</c>), as the client sent them.
    /// </summary>
    public Dictionary<string, byte[]> Echo { get; } = new(StringComparer.Ordinal);
}
