using System.Text.Json;

namespace Gateway.Streaming;

/// <summary>
/// Token counts as providers report them, read from every shape the three APIs use: OpenAI Chat's
/// <c>usage.prompt_tokens</c>/<c>completion_tokens</c> (also in the final stream chunk), Responses'
/// <c>usage.input_tokens</c>/<c>output_tokens</c> (in <c>response.completed</c>), and Anthropic's
/// <c>usage.input_tokens</c>/<c>output_tokens</c> (in <c>message_start</c> and then <c>message_delta</c>).
/// Later reports replace earlier ones field by field, since Anthropic's <c>message_delta</c> carries the final output count.
/// </summary>
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

    /// <summary>Applies the usage in one JSON document (a body or one stream event), if it holds any.</summary>
    public void UpdateFrom(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            Update(document.RootElement);
        }
        catch (JsonException)
        {
            // A provider's malformed body carries no usage to count; the client still gets it as sent.
        }
    }

    private void Update(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        UpdateFromUsageOf(root);
        foreach (var wrapper in (ReadOnlySpan<string>)["response", "message"])
        {
            if (root.TryGetProperty(wrapper, out var inner) && inner.ValueKind == JsonValueKind.Object)
            {
                UpdateFromUsageOf(inner);
            }
        }
    }

    private void UpdateFromUsageOf(JsonElement owner)
    {
        if (!owner.TryGetProperty("usage", out var usage) || usage.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (Read(usage, "prompt_tokens") is { } prompt)
        {
            Prompt = prompt;
        }
        else if (Read(usage, "input_tokens") is { } input)
        {
            Prompt = input + (Read(usage, "cache_creation_input_tokens") ?? 0) + (Read(usage, "cache_read_input_tokens") ?? 0);
        }

        if ((Read(usage, "completion_tokens") ?? Read(usage, "output_tokens")) is { } completion)
        {
            Completion = completion;
        }
    }

    private static long? Read(JsonElement usage, string name) =>
        usage.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var count) && count >= 0
            ? count
            : null;
}
