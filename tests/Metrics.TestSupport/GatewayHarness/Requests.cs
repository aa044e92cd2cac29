using System.Text.Json;

namespace Metrics.Testing.GatewayHarness;

/// <summary>Request bodies of the three APIs.</summary>
internal static class Requests
{
    public static string Chat(string model, string prompt, bool stream = false, int? maxTokens = null, bool includeUsage = false) =>
        Serialize(new Dictionary<string, object?>
        {
            ["model"] = model,
            ["messages"] = new[] { new Dictionary<string, string> { ["role"] = "user", ["content"] = prompt } },
            ["stream"] = stream,
            ["stream_options"] = includeUsage ? new Dictionary<string, bool> { ["include_usage"] = true } : null,
            ["max_tokens"] = maxTokens,
        });

    public static string Responses(string model, string input, bool stream = false) =>
        Serialize(new Dictionary<string, object?> { ["model"] = model, ["input"] = input, ["stream"] = stream });

    public static string Messages(string model, string prompt, bool stream = false, int maxTokens = 256) =>
        Serialize(new Dictionary<string, object?>
        {
            ["model"] = model,
            ["max_tokens"] = maxTokens,
            ["messages"] = new[] { new Dictionary<string, string> { ["role"] = "user", ["content"] = prompt } },
            ["stream"] = stream,
        });

    private static string Serialize(Dictionary<string, object?> body)
    {
        foreach (var key in body.Where(pair => pair.Value is null).Select(pair => pair.Key).ToArray())
        {
            body.Remove(key);
        }

        return JsonSerializer.Serialize(body);
    }
}
