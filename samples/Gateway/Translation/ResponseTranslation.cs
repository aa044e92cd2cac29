using System.Text.Json;
using Gateway.Configuration;
using Gateway.Streaming;
using Gateway.Surfaces;

namespace Gateway.Translation;

/// <summary>Translates a provider's answer, whole or streamed, into the client's API.</summary>
internal static class ResponseTranslation
{
    /// <summary>The provider's complete response <paramref name="body"/> in the client's shape.</summary>
    /// <exception cref="InvalidDataException">The body is not a response of the provider's API.</exception>
    public static byte[] TranslateBody(TranslationContext context, byte[] body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException("The provider's response is not JSON.", exception);
        }

        using (document)
        {
            var root = document.RootElement;
            if (context.UpstreamStyle == ProviderStyle.OpenAI)
            {
                var fromOpenAI = Answer.FromOpenAIChat(root);
                return JsonBlocks.Build(json => AnswerWriters.WriteAnthropicMessage(json, fromOpenAI));
            }

            var answer = Answer.FromAnthropic(root);
            var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            return context.ClientSurface == ApiSurface.OpenAIResponses
                ? JsonBlocks.Build(json => AnswerWriters.WriteResponse(json, answer, context, created, done: true))
                : JsonBlocks.Build(json => AnswerWriters.WriteChatCompletion(json, answer, created));
        }
    }

    /// <summary>The transform that turns the provider's events into the client's.</summary>
    public static SseEventTransform CreateStream(TranslationContext context) =>
        context.UpstreamStyle == ProviderStyle.OpenAI ? new OpenAIChatToAnthropicStream(context)
        : context.ClientSurface == ApiSurface.OpenAIResponses ? new AnthropicToOpenAIResponsesStream(context)
        : new AnthropicToOpenAIChatStream(context);
}
