using System.Buffers;
using System.Text.Json;

namespace Gateway.Translation;

/// <summary>
/// Turns OpenAI Chat Completions chunks into Anthropic's Messages events as they arrive: the first chunk into
/// <c>message_start</c>, content deltas into a text block, each new <c>tool_calls</c> entry into a <c>tool_use</c>
/// block whose <c>input_json_delta</c> events carry the streamed arguments, and the finish reason with the final
/// usage chunk (which the gateway always asks for) into <c>message_delta</c> and <c>message_stop</c>. OpenAI reports
/// input tokens only at the end, so <c>message_start</c> says 0 and <c>message_delta</c> carries the real counts.
/// </summary>
internal sealed class OpenAIChatToAnthropicStream(TranslationContext context) : StreamTranslation(context)
{
    private readonly Answer _answer = new();
    private readonly Dictionary<int, int> _blockByToolIndex = [];
    private bool _started;
    private int _openBlock = -1;
    private int _blocks;
    private bool _sawFinish;

    /// <inheritdoc />
    protected override void OnDone(IBufferWriter<byte> output) => Finish(output);

    /// <inheritdoc />
    protected override void OnUpstreamEvent(JsonElement root, IBufferWriter<byte> output)
    {
        Start(root, output);
        if (root.TryGet("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            _answer.ReadOpenAIUsage(usage);
        }

        if (!root.TryGet("choices", out var choices) || choices.ValueKind != JsonValueKind.Array || choices.GetArrayLength() == 0)
        {
            return;
        }

        var choice = choices[0];
        var delta = choice.TryGet("delta", out var value) ? value : default;
        if (delta.String("content") is { Length: > 0 } text)
        {
            if (_openBlock < 0 || _blockByToolIndex.ContainsValue(_openBlock))
            {
                OpenBlock(output, json =>
                {
                    json.WriteString("type", "text");
                    json.WriteString("text", "");
                });
            }

            WriteBlockDelta(output, _openBlock, "text_delta", "text", text);
        }

        if (delta.TryGet("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
        {
            foreach (var call in calls.EnumerateArray())
            {
                WriteToolCall(call, output);
            }
        }

        if (choice.String("finish_reason") is { } finish)
        {
            _answer.StopReason = StopReasons.ToAnthropic(finish);
            _sawFinish = true;
            CloseBlock(output);
        }
    }

    /// <inheritdoc />
    protected override void OnEnd(IBufferWriter<byte> output)
    {
        if (!Finished && _sawFinish)
        {
            Finish(output);
        }

        base.OnEnd(output);
    }

    private void Start(JsonElement root, IBufferWriter<byte> output)
    {
        if (_started)
        {
            return;
        }

        _started = true;
        _answer.Id = root.String("id") ?? "";
        _answer.Model = root.String("model") ?? "";
        var json = BeginEvent(output, "message_start");
        json.WriteStartObject("message");
        json.WriteString("id", AnswerWriters.IdOf(_answer, "msg_"));
        json.WriteString("type", "message");
        json.WriteString("role", "assistant");
        json.WriteString("model", _answer.Model);
        json.WriteStartArray("content");
        json.WriteEndArray();
        json.WriteNull("stop_reason");
        json.WriteNull("stop_sequence");
        json.WriteStartObject("usage");
        json.WriteNumber("input_tokens", 0);
        json.WriteNumber("output_tokens", 0);
        json.WriteEndObject();
        json.WriteEndObject();
        EndEvent(output);
    }

    private void WriteToolCall(JsonElement call, IBufferWriter<byte> output)
    {
        var toolIndex = call.TryGet("index", out var number) ? number.GetInt32() : 0;
        var function = call.TryGet("function", out var value) ? value : default;
        if (!_blockByToolIndex.TryGetValue(toolIndex, out var block))
        {
            var id = call.String("id") ?? "";
            var name = function.String("name") ?? "";
            OpenBlock(output, json =>
            {
                json.WriteString("type", "tool_use");
                json.WriteString("id", id);
                json.WriteString("name", name);
                json.WriteStartObject("input");
                json.WriteEndObject();
            });
            block = _openBlock;
            _blockByToolIndex[toolIndex] = block;
        }

        if (function.String("arguments") is { Length: > 0 } arguments)
        {
            WriteBlockDelta(output, block, "input_json_delta", "partial_json", arguments);
        }
    }

    private void OpenBlock(IBufferWriter<byte> output, Action<Utf8JsonWriter> writeBlock)
    {
        CloseBlock(output);
        _openBlock = _blocks++;
        var json = BeginEvent(output, "content_block_start");
        json.WriteNumber("index", _openBlock);
        json.WriteStartObject("content_block");
        writeBlock(json);
        json.WriteEndObject();
        EndEvent(output);
    }

    private void CloseBlock(IBufferWriter<byte> output)
    {
        if (_openBlock < 0)
        {
            return;
        }

        var json = BeginEvent(output, "content_block_stop");
        json.WriteNumber("index", _openBlock);
        EndEvent(output);
        _openBlock = -1;
    }

    private void WriteBlockDelta(IBufferWriter<byte> output, int index, string type, string field, string fragment)
    {
        var json = BeginEvent(output, "content_block_delta");
        json.WriteNumber("index", index);
        json.WriteStartObject("delta");
        json.WriteString("type", type);
        json.WriteString(field, fragment);
        json.WriteEndObject();
        EndEvent(output);
    }

    private void Finish(IBufferWriter<byte> output)
    {
        CloseBlock(output);
        var json = BeginEvent(output, "message_delta");
        json.WriteStartObject("delta");
        json.WriteString("stop_reason", _answer.StopReason ?? "end_turn");
        json.WriteNull("stop_sequence");
        json.WriteEndObject();
        AnswerWriters.WriteAnthropicUsage(json, _answer);
        EndEvent(output);
        BeginEvent(output, "message_stop");
        EndEvent(output);
        Finished = true;
    }

    private Utf8JsonWriter BeginEvent(IBufferWriter<byte> output, string type)
    {
        var json = Begin(output, type);
        json.WriteStartObject();
        json.WriteString("type", type);
        return json;
    }

    private void EndEvent(IBufferWriter<byte> output)
    {
        Writer.WriteEndObject();
        End(output);
    }
}
