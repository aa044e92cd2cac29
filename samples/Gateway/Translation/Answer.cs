using System.Text;
using System.Text.Json;

namespace Gateway.Translation;

/// <summary>
/// One answer, independent of the API that carries it: its id and model, its content (text and tool calls, in
/// order), why it stopped (in Anthropic's words) and its usage. Translated responses are read into it and written
/// out of it; translated streams build it up event by event for the events that repeat the whole answer.
/// </summary>
internal sealed class Answer
{
    /// <summary>The provider's id of the answer, such as <c>msg_…</c> or <c>chatcmpl-…</c>.</summary>
    public string Id { get; set; } = "";

    /// <summary>The model as the provider named it.</summary>
    public string Model { get; set; } = "";

    /// <summary>The content, in order.</summary>
    public List<AnswerBlock> Blocks { get; } = [];

    /// <summary>Anthropic's <c>stop_reason</c> (<c>end_turn</c>, <c>max_tokens</c>, <c>tool_use</c>, …), or null while unknown.</summary>
    public string? StopReason { get; set; }

    /// <summary>Input tokens not read from or written to a cache, as Anthropic counts them.</summary>
    public long InputTokens { get; set; }

    /// <summary>Input tokens read from the prompt cache.</summary>
    public long CacheReadTokens { get; set; }

    /// <summary>Input tokens written to the prompt cache.</summary>
    public long CacheCreationTokens { get; set; }

    /// <summary>Output tokens.</summary>
    public long OutputTokens { get; set; }

    /// <summary>All input tokens, as OpenAI counts them.</summary>
    public long PromptTokens => InputTokens + CacheReadTokens + CacheCreationTokens;

    /// <summary>The text of every text block.</summary>
    public string Text => string.Concat(Blocks.Where(block => !block.IsToolCall).Select(block => block.Content.ToString()));

    /// <summary>Reads an Anthropic <c>message</c> object.</summary>
    public static Answer FromAnthropic(JsonElement message)
    {
        var answer = new Answer { Id = message.String("id") ?? "", Model = message.String("model") ?? "", StopReason = message.String("stop_reason") };
        if (message.TryGet("content", out var content) && content.ValueKind == JsonValueKind.Array)
        {
            foreach (var block in content.EnumerateArray())
            {
                switch (block.String("type"))
                {
                    case "text":
                        answer.Blocks.Add(AnswerBlock.OfText(block.String("text") ?? ""));
                        break;
                    case "tool_use":
                        var call = AnswerBlock.OfToolCall(block.String("id") ?? "", block.String("name") ?? "");
                        call.Content.Append(block.TryGet("input", out var input) ? input.GetRawText() : "{}");
                        answer.Blocks.Add(call);
                        break;
                }
            }
        }

        if (message.TryGet("usage", out var usage))
        {
            answer.ReadAnthropicUsage(usage);
        }

        return answer;
    }

    /// <summary>Reads the first choice and the usage of an OpenAI <c>chat.completion</c> object.</summary>
    public static Answer FromOpenAIChat(JsonElement completion)
    {
        var answer = new Answer { Id = completion.String("id") ?? "", Model = completion.String("model") ?? "" };
        if (completion.TryGet("choices", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0)
        {
            var choice = choices[0];
            answer.StopReason = StopReasons.ToAnthropic(choice.String("finish_reason"));
            var message = choice.TryGet("message", out var value) ? value : default;
            if (message.String("content") is { Length: > 0 } text)
            {
                answer.Blocks.Add(AnswerBlock.OfText(text));
            }

            if (message.TryGet("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
            {
                foreach (var call in calls.EnumerateArray())
                {
                    var function = call.TryGet("function", out var f) ? f : default;
                    var block = AnswerBlock.OfToolCall(call.String("id") ?? "", function.String("name") ?? "");
                    block.Content.Append(function.String("arguments") ?? "");
                    answer.Blocks.Add(block);
                }
            }
        }

        if (completion.TryGet("usage", out var usage))
        {
            answer.ReadOpenAIUsage(usage);
        }

        return answer;
    }

    /// <summary>Applies an Anthropic usage object; fields it leaves out keep their values.</summary>
    public void ReadAnthropicUsage(JsonElement usage)
    {
        InputTokens = Count(usage, "input_tokens") ?? InputTokens;
        OutputTokens = Count(usage, "output_tokens") ?? OutputTokens;
        CacheReadTokens = Count(usage, "cache_read_input_tokens") ?? CacheReadTokens;
        CacheCreationTokens = Count(usage, "cache_creation_input_tokens") ?? CacheCreationTokens;
    }

    /// <summary>Applies an OpenAI Chat usage object: cached prompt tokens become cache reads.</summary>
    public void ReadOpenAIUsage(JsonElement usage)
    {
        var cached = usage.TryGet("prompt_tokens_details", out var details) ? Count(details, "cached_tokens") ?? 0 : 0;
        InputTokens = (Count(usage, "prompt_tokens") ?? 0) - cached;
        CacheReadTokens = cached;
        OutputTokens = Count(usage, "completion_tokens") ?? 0;
    }

    private static long? Count(JsonElement usage, string name) =>
        usage.TryGet(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var count) ? count : null;
}

/// <summary>One piece of an answer's content: text, or a tool call whose content is its arguments as JSON text.</summary>
internal sealed class AnswerBlock
{
    private AnswerBlock(bool isToolCall, string? toolId, string? toolName)
    {
        IsToolCall = isToolCall;
        ToolId = toolId;
        ToolName = toolName;
    }

    /// <summary>Whether the block is a tool call.</summary>
    public bool IsToolCall { get; }

    /// <summary>The tool call's id, shared by both APIs (<c>toolu_…</c> or <c>call_…</c>).</summary>
    public string? ToolId { get; }

    /// <summary>The called tool.</summary>
    public string? ToolName { get; }

    /// <summary>The text, or the tool call's arguments.</summary>
    public StringBuilder Content { get; } = new();

    /// <summary>A text block.</summary>
    public static AnswerBlock OfText(string text)
    {
        var block = new AnswerBlock(false, null, null);
        block.Content.Append(text);
        return block;
    }

    /// <summary>A tool call, its arguments still to come.</summary>
    public static AnswerBlock OfToolCall(string id, string name) => new(true, id, name);
}
