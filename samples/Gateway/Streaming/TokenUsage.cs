using System.Text.Json;

namespace Gateway.Streaming;

/// <summary>
/// Token counts as providers report them, read from every shape the three APIs use: OpenAI Chat's
/// <c>usage.prompt_tokens</c>/<c>completion_tokens</c> (also in the final stream chunk), Responses'
/// <c>usage.input_tokens</c>/<c>output_tokens</c> (in <c>response.completed</c>), and Anthropic's
/// <c>usage.input_tokens</c>/<c>output_tokens</c> (in <c>message_start</c> and then <c>message_delta</c>).
/// Later reports replace earlier ones field by field, since Anthropic's <c>message_delta</c> carries the final output count.
/// </summary>
/// <remarks>
/// It reads with <see cref="Utf8JsonReader"/> and skips every value but the usage objects, so counting the tokens
/// of a response allocates nothing and does not build a document of the whole answer.
/// </remarks>
internal struct TokenUsage
{
    /// <summary>Prompt (input) tokens, cache reads and writes included.</summary>
    public long Prompt { get; private set; }

    /// <summary>Completion (output) tokens.</summary>
    public long Completion { get; private set; }

    /// <summary>Reads the usage of a complete, non-streaming response body; zero when it has none or is not JSON.</summary>
    public static TokenUsage FromBody(ReadOnlySpan<byte> body)
    {
        var usage = default(TokenUsage);
        usage.UpdateFrom(body);
        return usage;
    }

    /// <summary>Applies the usage in one JSON document (a body or one stream event): <c>usage</c>, <c>response.usage</c> or <c>message.usage</c>.</summary>
    public void UpdateFrom(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return;
            }

            ReadObject(ref reader, allowWrappers: true);
        }
        catch (JsonException)
        {
            // A provider's malformed body carries no usage to count; the client still gets it as sent.
        }
    }

    // Reads the properties of the object the reader is at, down to its end.
    private void ReadObject(ref Utf8JsonReader reader, bool allowWrappers)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isUsage = reader.ValueTextEquals("usage"u8);
            var isWrapper = allowWrappers && (reader.ValueTextEquals("response"u8) || reader.ValueTextEquals("message"u8));
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
            }
            else if (isUsage)
            {
                ReadUsage(ref reader);
            }
            else if (isWrapper)
            {
                ReadObject(ref reader, allowWrappers: false);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private void ReadUsage(ref Utf8JsonReader reader)
    {
        long? prompt = null;
        long? input = null;
        long cache = 0;
        long? completion = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader;
            reader.Read();
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var count) || count < 0)
            {
                reader.Skip();
                continue;
            }

            if (name.ValueTextEquals("prompt_tokens"u8))
            {
                prompt = count;
            }
            else if (name.ValueTextEquals("input_tokens"u8))
            {
                input = count;
            }
            else if (name.ValueTextEquals("cache_creation_input_tokens"u8) || name.ValueTextEquals("cache_read_input_tokens"u8))
            {
                cache += count;
            }
            else if (name.ValueTextEquals("completion_tokens"u8) || name.ValueTextEquals("output_tokens"u8))
            {
                completion = count;
            }
        }

        if ((prompt ?? input + cache) is { } promptTokens)
        {
            Prompt = promptTokens;
        }

        if (completion is { } completionTokens)
        {
            Completion = completionTokens;
        }
    }
}
