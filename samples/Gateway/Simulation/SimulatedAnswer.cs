using System.Security.Cryptography;
using System.Text.Json;
using Gateway.Configuration;

namespace Gateway.Simulation;

/// <summary>
/// The deterministic answer a simulated provider gives to one request. Its prompt token count is computed from the
/// input: 3 plus, for every string in the conversation fields (<c>messages</c>, <c>input</c>, <c>system</c>,
/// <c>instructions</c>), its length in UTF-16 code units divided by 4, rounded up. The completion is a fixed sentence,
/// one word per token, cut to the request's token limit; a forced tool call (<see cref="SimulatedToolCall"/>) replaces
/// it, one argument fragment per token. OpenAI Chat's <c>n</c> asks for that many identical choices, each counted in usage.
/// </summary>
internal sealed class SimulatedAnswer
{
    private static readonly string[] Words =
    [
        "This", " is", " a", " simulated", " answer", " from", " the", " gateway's", " embedded", " provider,",
        " streamed", " token", " by", " token", " so", " that", " every", " metric", " has", " something",
        " to", " count", " and", " show.",
    ];

    private static readonly string[] ConversationFields = ["messages", "input", "system", "instructions"];
    private static readonly string[] TokenLimitFields = ["max_completion_tokens", "max_tokens", "max_output_tokens"];

    private SimulatedAnswer(string model, bool stream, bool includeStreamUsage, int promptTokens, IReadOnlyList<string> tokens, bool truncated, SimulatedToolCall? tool, int choices)
    {
        Tool = tool;
        Choices = choices;
        Model = model;
        Stream = stream;
        IncludeStreamUsage = includeStreamUsage;
        PromptTokens = promptTokens;
        Tokens = tokens;
        Truncated = truncated;
        Created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        IdSuffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
    }

    /// <summary>The model the request named, echoed back as real APIs do.</summary>
    public string Model { get; }

    /// <summary>Whether to answer with Server-Sent Events.</summary>
    public bool Stream { get; }

    /// <summary>Whether an OpenAI Chat stream ends with a usage chunk (<c>stream_options.include_usage</c>).</summary>
    public bool IncludeStreamUsage { get; }

    /// <summary>The prompt tokens reported in usage.</summary>
    public int PromptTokens { get; }

    /// <summary>The completion, one string per token: words of text, or fragments of a tool call's arguments.</summary>
    public IReadOnlyList<string> Tokens { get; }

    /// <summary>The tool call the request forced, or null for a text answer.</summary>
    public SimulatedToolCall? Tool { get; }

    /// <summary>How many choices the answer has (OpenAI Chat's <c>n</c>); 1 elsewhere.</summary>
    public int Choices { get; }

    /// <summary>The completion tokens reported in usage, over every choice.</summary>
    public int CompletionTokens => Tokens.Count * Choices;

    /// <summary>The whole completion text.</summary>
    public string Text => string.Concat(Tokens);

    /// <summary>Whether the request's token limit cut the answer short.</summary>
    public bool Truncated { get; }

    /// <summary>The Unix time of the answer.</summary>
    public long Created { get; }

    /// <summary>The random part of the answer's identifiers.</summary>
    public string IdSuffix { get; }

    /// <summary>The answer to the request to <paramref name="surface"/> whose JSON body is <paramref name="root"/>.</summary>
    public static SimulatedAnswer For(JsonElement root, Surfaces.ApiSurface surface, SimulatedProviderOptions options)
    {
        var model = root.TryGetProperty("model", out var modelValue) && modelValue.ValueKind == JsonValueKind.String ? modelValue.GetString()! : "";
        var stream = root.TryGetProperty("stream", out var streamValue) && streamValue.ValueKind == JsonValueKind.True;
        var includeUsage = root.TryGetProperty("stream_options", out var streamOptions)
            && streamOptions.ValueKind == JsonValueKind.Object
            && streamOptions.TryGetProperty("include_usage", out var include)
            && include.ValueKind == JsonValueKind.True;

        var choices = surface == Surfaces.ApiSurface.OpenAIChat && root.TryGetProperty("n", out var n) && n.ValueKind == JsonValueKind.Number && n.TryGetInt32(out var count) && count > 1
            ? count
            : 1;
        var limit = TokenLimit(root);
        if (SimulatedToolCall.Find(root, surface) is { } tool)
        {
            return new SimulatedAnswer(model, stream, includeUsage, PromptTokensOf(root), tool.Fragments, truncated: false, tool, choices);
        }

        var length = Math.Max(1, Math.Min(options.CompletionTokens, limit ?? int.MaxValue));
        var tokens = new string[length];
        for (var i = 0; i < length; i++)
        {
            tokens[i] = Words[i % Words.Length];
        }

        return new SimulatedAnswer(model, stream, includeUsage, PromptTokensOf(root), tokens, limit < options.CompletionTokens, tool: null, choices);
    }

    private static int? TokenLimit(JsonElement root)
    {
        foreach (var field in TokenLimitFields)
        {
            if (root.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var limit) && limit > 0)
            {
                return limit;
            }
        }

        return null;
    }

    /// <summary>The prompt tokens of the request <paramref name="root"/>, by the formula above; also the token count it answers.</summary>
    public static int PromptTokensOf(JsonElement root)
    {
        var tokens = 3;
        foreach (var field in ConversationFields)
        {
            if (root.TryGetProperty(field, out var value))
            {
                tokens += StringTokens(value);
            }
        }

        return tokens;
    }

    private static int StringTokens(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return (element.GetString()!.Length + 3) / 4;
            case JsonValueKind.Array:
                var arrayTokens = 0;
                foreach (var item in element.EnumerateArray())
                {
                    arrayTokens += StringTokens(item);
                }

                return arrayTokens;
            case JsonValueKind.Object:
                var objectTokens = 0;
                foreach (var property in element.EnumerateObject())
                {
                    objectTokens += StringTokens(property.Value);
                }

                return objectTokens;
            default:
                return 0;
        }
    }
}
