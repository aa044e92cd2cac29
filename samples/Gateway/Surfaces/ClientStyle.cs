using Gateway.Configuration;

namespace Gateway.Surfaces;

/// <summary>
/// Which API a caller speaks, so every answer (errors included) comes in the shape its SDK parses. An LLM surface
/// decides by its path; the shared endpoints (<c>GET /v1/models</c>) decide by the headers Anthropic's SDKs send on
/// every call, <c>anthropic-version</c> or <c>x-api-key</c>, and default to OpenAI's shape.
/// </summary>
internal static class ClientStyle
{
    private const string AnthropicVersionHeader = "anthropic-version";
    private const string AnthropicKeyHeader = "x-api-key";

    /// <summary>The API style of the caller of <paramref name="context"/>.</summary>
    public static ProviderStyle Of(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<ApiSurface>() is { } surface)
        {
            return surface.Style;
        }

        var headers = context.Request.Headers;
        return headers.ContainsKey(AnthropicVersionHeader) || (headers.ContainsKey(AnthropicKeyHeader) && !headers.ContainsKey("Authorization"))
            ? ProviderStyle.Anthropic
            : ProviderStyle.OpenAI;
    }
}
