using System.Text.Json;

namespace Gateway.Tests.Support;

/// <summary>
/// Token usage as a client reads it from a response body, independently of the gateway's own parsing: the usage
/// object of a JSON body, or the usage-carrying events of a stream.
/// </summary>
internal static class ClientUsage
{
    public static (long Prompt, long Completion) Of(string body, bool stream) => stream ? FromStream(body) : FromJson(JsonDocument.Parse(body).RootElement);

    /// <summary>The concatenated text deltas of a stream.</summary>
    public static string StreamedText(string body)
    {
        var text = new System.Text.StringBuilder();
        foreach (var data in DataLines(body))
        {
            var root = JsonDocument.Parse(data).RootElement;
            if (root.TryGetProperty("choices", out var choices) && choices.GetArrayLength() > 0
                && choices[0].GetProperty("delta").TryGetProperty("content", out var content))
            {
                text.Append(content.GetString());
            }
            else if (root.TryGetProperty("type", out var type) && type.GetString() == "response.output_text.delta")
            {
                text.Append(root.GetProperty("delta").GetString());
            }
            else if (root.TryGetProperty("type", out type) && type.GetString() == "content_block_delta")
            {
                text.Append(root.GetProperty("delta").GetProperty("text").GetString());
            }
        }

        return text.ToString();
    }

    public static IEnumerable<string> DataLines(string body) =>
        body.Split('\n')
            .Where(line => line.StartsWith("data: ", StringComparison.Ordinal) && line != "data: [DONE]")
            .Select(line => line["data: ".Length..]);

    private static (long, long) FromStream(string body)
    {
        long prompt = 0;
        long completion = 0;
        foreach (var data in DataLines(body))
        {
            var root = JsonDocument.Parse(data).RootElement;
            var type = root.TryGetProperty("type", out var typeValue) ? typeValue.GetString() : null;
            switch (type)
            {
                case "message_start":
                    prompt = root.GetProperty("message").GetProperty("usage").GetProperty("input_tokens").GetInt64();
                    break;
                case "message_delta":
                    completion = root.GetProperty("usage").GetProperty("output_tokens").GetInt64();
                    break;
                case "response.completed":
                    (prompt, completion) = FromJson(root.GetProperty("response"));
                    break;
                case null when root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object:
                    (prompt, completion) = FromJson(root);
                    break;
            }
        }

        return (prompt, completion);
    }

    private static (long, long) FromJson(JsonElement root)
    {
        var usage = root.GetProperty("usage");
        return usage.TryGetProperty("prompt_tokens", out var prompt)
            ? (prompt.GetInt64(), usage.GetProperty("completion_tokens").GetInt64())
            : (usage.GetProperty("input_tokens").GetInt64(), usage.GetProperty("output_tokens").GetInt64());
    }
}
