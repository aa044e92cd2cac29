using System.Text.Json;
using Gateway.Surfaces;

namespace Gateway.Translation;

/// <summary>
/// Writes an <see cref="Answer"/> in each API's response shape: OpenAI's <c>chat.completion</c> and Responses
/// <c>response</c> objects, and Anthropic's <c>message</c>. Ids keep the provider's, under the client API's prefix.
/// </summary>
internal static class AnswerWriters
{
    /// <summary>The id of <paramref name="answer"/> under <paramref name="prefix"/>: <c>msg_abc</c> becomes <c>chatcmpl-abc</c>.</summary>
    public static string IdOf(Answer answer, string prefix)
    {
        var id = answer.Id;
        var cut = id.StartsWith("chatcmpl-", StringComparison.Ordinal) ? "chatcmpl-".Length : id.IndexOf('_', StringComparison.Ordinal) + 1;
        return prefix + id[cut..];
    }

    /// <summary>Writes a <c>chat.completion</c> with one choice.</summary>
    public static void WriteChatCompletion(Utf8JsonWriter json, Answer answer, long created)
    {
        json.WriteStartObject();
        json.WriteString("id", IdOf(answer, "chatcmpl-"));
        json.WriteString("object", "chat.completion");
        json.WriteNumber("created", created);
        json.WriteString("model", answer.Model);
        json.WriteStartArray("choices");
        json.WriteStartObject();
        json.WriteNumber("index", 0);
        json.WriteStartObject("message");
        json.WriteString("role", "assistant");
        var text = answer.Text;
        if (text.Length == 0 && answer.Blocks.Any(block => block.IsToolCall))
        {
            json.WriteNull("content");
        }
        else
        {
            json.WriteString("content", text);
        }

        json.WriteNull("refusal");
        if (answer.Blocks.Any(block => block.IsToolCall))
        {
            json.WriteStartArray("tool_calls");
            foreach (var call in answer.Blocks.Where(block => block.IsToolCall))
            {
                json.WriteStartObject();
                json.WriteString("id", call.ToolId);
                json.WriteString("type", "function");
                json.WriteStartObject("function");
                json.WriteString("name", call.ToolName);
                json.WriteString("arguments", call.Content.ToString());
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
        OpenAIJson.EndSingleChoice(json, StopReasons.ToOpenAIFinish(answer.StopReason));
        WriteChatUsage(json, answer);
        json.WriteEndObject();
    }

    /// <summary>Writes OpenAI Chat's <c>usage</c> object.</summary>
    public static void WriteChatUsage(Utf8JsonWriter json, Answer answer)
    {
        json.WriteStartObject("usage");
        json.WriteNumber("prompt_tokens", answer.PromptTokens);
        json.WriteNumber("completion_tokens", answer.OutputTokens);
        json.WriteNumber("total_tokens", answer.PromptTokens + answer.OutputTokens);
        json.WriteStartObject("prompt_tokens_details");
        json.WriteNumber("cached_tokens", answer.CacheReadTokens);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>
    /// Writes a Responses <c>response</c> object: <c>in_progress</c> with no output while <paramref name="done"/> is
    /// false, otherwise <c>completed</c>, or <c>incomplete</c> with its reason when the answer was cut short.
    /// </summary>
    public static void WriteResponse(Utf8JsonWriter json, Answer answer, TranslationContext context, long created, bool done)
    {
        var incomplete = done ? StopReasons.ToResponsesIncomplete(answer.StopReason) : null;
        json.WriteStartObject();
        json.WriteString("id", IdOf(answer, "resp_"));
        json.WriteString("object", "response");
        json.WriteNumber("created_at", created);
        json.WriteString("status", !done ? "in_progress" : incomplete is null ? "completed" : "incomplete");
        json.WriteNull("error");
        if (incomplete is null)
        {
            json.WriteNull("incomplete_details");
        }
        else
        {
            json.WriteStartObject("incomplete_details");
            json.WriteString("reason", incomplete);
            json.WriteEndObject();
        }

        WriteEcho(json, context, "instructions", null);
        WriteEcho(json, context, "max_output_tokens", null);
        json.WriteString("model", answer.Model);
        json.WriteStartArray("output");
        if (done)
        {
            for (var i = 0; i < answer.Blocks.Count; i++)
            {
                WriteOutputItem(json, answer, i, done: true);
            }
        }

        json.WriteEndArray();
        WriteEcho(json, context, "parallel_tool_calls", "true");
        json.WriteNull("previous_response_id");
        json.WriteBoolean("store", false);
        WriteEcho(json, context, "temperature", null);
        json.WriteStartObject("text");
        json.WriteStartObject("format");
        json.WriteString("type", "text");
        json.WriteEndObject();
        json.WriteEndObject();
        WriteEcho(json, context, "tool_choice", "\"auto\"");
        WriteEcho(json, context, "tools", "[]");
        WriteEcho(json, context, "top_p", null);
        json.WriteString("truncation", "disabled");
        if (done)
        {
            OpenAIJson.WriteResponsesUsage(json, answer.PromptTokens, answer.CacheReadTokens, answer.OutputTokens);
        }
        else
        {
            json.WriteNull("usage");
        }

        json.WriteEndObject();
    }

    /// <summary>Writes the Responses output item of block <paramref name="index"/>: a <c>message</c> or a <c>function_call</c>.</summary>
    public static void WriteOutputItem(Utf8JsonWriter json, Answer answer, int index, bool done)
    {
        var block = answer.Blocks[index];
        var status = !done ? "in_progress" : StopReasons.ToResponsesIncomplete(answer.StopReason) is null ? "completed" : "incomplete";
        json.WriteStartObject();
        if (block.IsToolCall)
        {
            json.WriteString("type", "function_call");
            json.WriteString("id", ItemId(answer, index));
            json.WriteString("call_id", block.ToolId);
            json.WriteString("name", block.ToolName);
            json.WriteString("arguments", done ? block.Content.ToString() : "");
            json.WriteString("status", status);
            json.WriteEndObject();
            return;
        }

        json.WriteString("type", "message");
        json.WriteString("id", ItemId(answer, index));
        json.WriteString("status", status);
        json.WriteString("role", "assistant");
        json.WriteStartArray("content");
        if (done)
        {
            OpenAIJson.WriteTextPart(json, block.Content.ToString());
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>The Responses item id of block <paramref name="index"/>: <c>msg_</c> for text, <c>fc_</c> for a tool call.</summary>
    public static string ItemId(Answer answer, int index)
    {
        var block = answer.Blocks[index];
        var toolId = block.ToolId ?? "";
        return block.IsToolCall
            ? "fc_" + toolId[(toolId.IndexOf('_', StringComparison.Ordinal) + 1)..]
            : IdOf(answer, "msg_") + (index == 0 ? "" : "_" + index.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Writes an Anthropic <c>message</c> object.</summary>
    /// <exception cref="InvalidDataException">A tool call's arguments are not a JSON object, which Anthropic's <c>input</c> must be.</exception>
    public static void WriteAnthropicMessage(Utf8JsonWriter json, Answer answer)
    {
        json.WriteStartObject();
        json.WriteString("id", IdOf(answer, "msg_"));
        json.WriteString("type", "message");
        json.WriteString("role", "assistant");
        json.WriteString("model", answer.Model);
        json.WriteStartArray("content");
        foreach (var block in answer.Blocks)
        {
            json.WriteStartObject();
            if (block.IsToolCall)
            {
                json.WriteString("type", "tool_use");
                json.WriteString("id", block.ToolId);
                json.WriteString("name", block.ToolName);
                json.WritePropertyName("input");
                WriteToolInput(json, block.Content.ToString());
            }
            else
            {
                json.WriteString("type", "text");
                json.WriteString("text", block.Content.ToString());
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteString("stop_reason", answer.StopReason ?? "end_turn");
        json.WriteNull("stop_sequence");
        WriteAnthropicUsage(json, answer);
        json.WriteEndObject();
    }

    /// <summary>Writes Anthropic's <c>usage</c> object.</summary>
    public static void WriteAnthropicUsage(Utf8JsonWriter json, Answer answer)
    {
        json.WriteStartObject("usage");
        json.WriteNumber("input_tokens", answer.InputTokens);
        json.WriteNumber("cache_creation_input_tokens", answer.CacheCreationTokens);
        json.WriteNumber("cache_read_input_tokens", answer.CacheReadTokens);
        json.WriteNumber("output_tokens", answer.OutputTokens);
        json.WriteEndObject();
    }

    private static void WriteToolInput(Utf8JsonWriter json, string arguments)
    {
        try
        {
            using var input = JsonDocument.Parse(arguments.Length == 0 ? "{}" : arguments);
            if (input.RootElement.ValueKind == JsonValueKind.Object)
            {
                input.RootElement.WriteTo(json);
                return;
            }
        }
        catch (JsonException)
        {
            // Reported below, the same as any other non-object.
        }

        throw new InvalidDataException("The provider's tool call arguments are not a JSON object.");
    }

    private static void WriteEcho(Utf8JsonWriter json, TranslationContext context, string name, string? fallback)
    {
        json.WritePropertyName(name);
        if (context.Echo.TryGetValue(name, out var raw))
        {
            json.WriteRawValue(raw, skipInputValidation: true);
        }
        else if (fallback is null)
        {
            json.WriteNullValue();
        }
        else
        {
            json.WriteRawValue(fallback, skipInputValidation: true);
        }
    }
}
