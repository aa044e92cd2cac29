using System.Buffers;
using System.Text.Json;
using Gateway.Surfaces;

namespace Gateway.Translation;

/// <summary>
/// Turns Anthropic's Messages events into OpenAI Chat Completions chunks as they arrive: <c>message_start</c> into
/// the role chunk, text deltas into <c>content</c> deltas, a <c>tool_use</c> block into a <c>tool_calls</c> entry
/// whose <c>arguments</c> stream from the <c>input_json_delta</c> events, <c>message_delta</c> into the finish reason
/// and <c>message_stop</c> into the finish chunk, the usage chunk when the client asked for it, and <c>[DONE]</c>.
/// </summary>
internal sealed class AnthropicToOpenAIChatStream(TranslationContext context) : StreamTranslation(context)
{
    private readonly Answer _answer = new();
    private readonly Dictionary<int, int> _toolIndexByBlock = [];

    /// <inheritdoc />
    protected override void OnUpstreamEvent(JsonElement root, IBufferWriter<byte> output)
    {
        switch (root.String("type"))
        {
            case "message_start":
                var message = root.TryGet("message", out var value) ? value : default;
                _answer.Id = message.String("id") ?? "";
                _answer.Model = message.String("model") ?? "";
                WriteChunk(output, json =>
                {
                    json.WriteString("role", "assistant");
                    json.WriteString("content", "");
                }, finishReason: null);
                break;
            case "content_block_start":
                StartBlock(root, output);
                break;
            case "content_block_delta":
                WriteDelta(root, output);
                break;
            case "message_delta":
                _answer.StopReason = root.TryGet("delta", out var delta) ? delta.String("stop_reason") ?? _answer.StopReason : _answer.StopReason;
                break;
            case "message_stop":
                Finish(output);
                break;
        }
    }

    private void StartBlock(JsonElement root, IBufferWriter<byte> output)
    {
        var block = root.TryGet("content_block", out var value) ? value : default;
        var index = root.TryGet("index", out var number) ? number.GetInt32() : 0;
        if (block.String("type") == "text" && block.String("text") is { Length: > 0 } text)
        {
            WriteChunk(output, json => json.WriteString("content", text), finishReason: null);
        }
        else if (block.String("type") == "tool_use")
        {
            var toolIndex = _toolIndexByBlock.Count;
            _toolIndexByBlock[index] = toolIndex;
            var id = block.String("id");
            var name = block.String("name");
            WriteChunk(output, json => WriteToolCall(json, toolIndex, id, name, ""), finishReason: null);
        }
    }

    private void WriteDelta(JsonElement root, IBufferWriter<byte> output)
    {
        var delta = root.TryGet("delta", out var value) ? value : default;
        switch (delta.String("type"))
        {
            case "text_delta":
                var text = delta.String("text") ?? "";
                WriteChunk(output, json => json.WriteString("content", text), finishReason: null);
                break;
            case "input_json_delta":
                var index = root.TryGet("index", out var number) ? number.GetInt32() : 0;
                var toolIndex = _toolIndexByBlock.GetValueOrDefault(index);
                var fragment = delta.String("partial_json") ?? "";
                WriteChunk(output, json => WriteToolCall(json, toolIndex, null, null, fragment), finishReason: null);
                break;
        }
    }

    private void Finish(IBufferWriter<byte> output)
    {
        WriteChunk(output, _ => { }, StopReasons.ToOpenAIFinish(_answer.StopReason));
        if (Context.IncludeUsage)
        {
            var usage = Usage;
            var json = Begin(output, null);
            WriteHeader(json);
            json.WriteStartArray("choices");
            json.WriteEndArray();
            json.WriteStartObject("usage");
            json.WriteNumber("prompt_tokens", usage.Prompt);
            json.WriteNumber("completion_tokens", usage.Completion);
            json.WriteNumber("total_tokens", usage.Prompt + usage.Completion);
            json.WriteEndObject();
            json.WriteEndObject();
            End(output);
        }

        output.Write("data: [DONE]\n\n"u8);
        Finished = true;
    }

    private static void WriteToolCall(Utf8JsonWriter json, int index, string? id, string? name, string arguments)
    {
        json.WriteStartArray("tool_calls");
        json.WriteStartObject();
        json.WriteNumber("index", index);
        if (id is not null)
        {
            json.WriteString("id", id);
            json.WriteString("type", "function");
        }

        json.WriteStartObject("function");
        if (name is not null)
        {
            json.WriteString("name", name);
        }

        json.WriteString("arguments", arguments);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndArray();
    }

    private void WriteChunk(IBufferWriter<byte> output, Action<Utf8JsonWriter> writeDelta, string? finishReason)
    {
        var json = Begin(output, null);
        WriteHeader(json);
        json.WriteStartArray("choices");
        json.WriteStartObject();
        json.WriteNumber("index", 0);
        json.WriteStartObject("delta");
        writeDelta(json);
        json.WriteEndObject();
        OpenAIJson.EndSingleChoice(json, finishReason);
        if (Context.IncludeUsage)
        {
            json.WriteNull("usage");
        }

        json.WriteEndObject();
        End(output);
    }

    private void WriteHeader(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("id", AnswerWriters.IdOf(_answer, "chatcmpl-"));
        json.WriteString("object", "chat.completion.chunk");
        json.WriteNumber("created", Created);
        json.WriteString("model", _answer.Model);
    }
}
