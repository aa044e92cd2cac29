using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Configuration;
using Gateway.Surfaces;
using Gateway.Translation;

namespace Gateway.Routing;

/// <summary>
/// What one provider is sent for a client's request: the provider's API surface and body, and, when the provider
/// speaks another API than the client, the context that translates its answer back. OpenAI Chat and Responses
/// requests go to Anthropic providers as Messages requests; Anthropic Messages requests go to OpenAI providers as
/// Chat Completions requests.
/// </summary>
internal sealed class UpstreamCall
{
    private UpstreamCall(ApiSurface surface, byte[] body, TranslationContext? translation)
    {
        Surface = surface;
        Body = body;
        Translation = translation;
    }

    /// <summary>The provider's API surface.</summary>
    public ApiSurface Surface { get; }

    /// <summary>The request body the provider gets.</summary>
    public byte[] Body { get; }

    /// <summary>How to translate the answer back, or null when the provider speaks the client's API.</summary>
    public TranslationContext? Translation { get; }

    /// <summary>
    /// The call of <paramref name="request"/> to <paramref name="surface"/> for a provider of <paramref name="style"/>
    /// that knows the model as <paramref name="model"/>; a translated request asks for no more output tokens than
    /// <paramref name="outputTokenLimit"/>, the gateway's bound on what a client may ask for.
    /// </summary>
    /// <exception cref="UntranslatableFieldException">The request uses a field the provider's API cannot express.</exception>
    public static UpstreamCall For(LlmRequest request, ApiSurface surface, ProviderStyle style, string model, int outputTokenLimit)
    {
        if (style == surface.Style)
        {
            return new UpstreamCall(surface, model == request.Model ? request.ForwardBody : WithModel(request.ForwardBody, model), null);
        }

        if (!surface.Generates)
        {
            throw new UntranslatableFieldException(
                "model", $"counting tokens needs an Anthropic-style provider, and '{request.Model}' is served by an OpenAI-style one, whose API has no such endpoint");
        }

        var context = new TranslationContext(surface, style);
        using var document = JsonDocument.Parse(request.Body);
        return style == ProviderStyle.Anthropic
            ? new UpstreamCall(ApiSurface.AnthropicMessages, OpenAIToAnthropicRequest.Translate(document.RootElement, surface, model, outputTokenLimit, context), context)
            : new UpstreamCall(ApiSurface.OpenAIChat, AnthropicToOpenAIRequest.Translate(document.RootElement, model), context);
    }

    // A provider that knows the model by another name gets the client's body with only "model" changed.
    private static byte[] WithModel(byte[] body, string model)
    {
        var node = JsonNode.Parse(body)!.AsObject();
        node["model"] = model;
        return Encoding.UTF8.GetBytes(node.ToJsonString());
    }
}
