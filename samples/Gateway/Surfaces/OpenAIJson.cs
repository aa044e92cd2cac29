using System.Text.Json;

namespace Gateway.Surfaces;

/// <summary>Pieces of OpenAI's JSON that the simulated providers and the translators both write.</summary>
internal static class OpenAIJson
{
    /// <summary>Ends a Chat choice: <c>logprobs</c>, <c>finish_reason</c> (null while the answer goes on), the choice and the <c>choices</c> array.</summary>
    public static void EndSingleChoice(Utf8JsonWriter json, string? finishReason)
    {
        json.WriteNull("logprobs");
        if (finishReason is null)
        {
            json.WriteNull("finish_reason");
        }
        else
        {
            json.WriteString("finish_reason", finishReason);
        }

        json.WriteEndObject();
        json.WriteEndArray();
    }

    /// <summary>Writes a Responses <c>usage</c> object.</summary>
    public static void WriteResponsesUsage(Utf8JsonWriter json, long inputTokens, long cachedTokens, long outputTokens)
    {
        json.WriteStartObject("usage");
        json.WriteNumber("input_tokens", inputTokens);
        json.WriteStartObject("input_tokens_details");
        json.WriteNumber("cached_tokens", cachedTokens);
        json.WriteEndObject();
        json.WriteNumber("output_tokens", outputTokens);
        json.WriteStartObject("output_tokens_details");
        json.WriteNumber("reasoning_tokens", 0);
        json.WriteEndObject();
        json.WriteNumber("total_tokens", inputTokens + outputTokens);
        json.WriteEndObject();
    }

    /// <summary>Writes a Responses <c>output_text</c> content part.</summary>
    public static void WriteTextPart(Utf8JsonWriter json, string text)
    {
        json.WriteStartObject();
        json.WriteString("type", "output_text");
        json.WriteString("text", text);
        json.WriteStartArray("annotations");
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
