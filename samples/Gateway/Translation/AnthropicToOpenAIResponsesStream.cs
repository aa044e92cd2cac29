using System.Buffers;
using System.Text.Json;
using Gateway.Surfaces;

namespace Gateway.Translation;

/// <summary>
/// Turns Anthropic's Messages events into OpenAI Responses events as they arrive: <c>message_start</c> into
/// <c>response.created</c> and <c>response.in_progress</c>; each text block into a message item
/// (<c>output_item.added</c>, <c>content_part.added</c>, <c>output_text.delta</c>…, <c>output_text.done</c>,
/// <c>content_part.done</c>, <c>output_item.done</c>); each <c>tool_use</c> block into a function call item whose
/// arguments stream as <c>function_call_arguments.delta</c>; and <c>message_stop</c> into <c>response.completed</c>,
/// or <c>response.incomplete</c> when the token limit cut the answer. Every event carries its <c>sequence_number</c>.
/// </summary>
internal sealed class AnthropicToOpenAIResponsesStream(TranslationContext context) : StreamTranslation(context)
{
    private readonly Answer _answer = new();
    private readonly Dictionary<int, int> _blockByIndex = [];
    private int _sequence;

    /// <inheritdoc />
    protected override void OnUpstreamEvent(JsonElement root, IBufferWriter<byte> output)
    {
        switch (root.String("type"))
        {
            case "message_start":
                var message = root.TryGet("message", out var value) ? value : default;
                _answer.Id = message.String("id") ?? "";
                _answer.Model = message.String("model") ?? "";
                if (message.TryGet("usage", out var startUsage))
                {
                    _answer.ReadAnthropicUsage(startUsage);
                }

                WriteResponseEvent(output, "response.created", done: false);
                WriteResponseEvent(output, "response.in_progress", done: false);
                break;
            case "content_block_start":
                StartBlock(root, output);
                break;
            case "content_block_delta":
                WriteDelta(root, output);
                break;
            case "content_block_stop":
                StopBlock(root, output);
                break;
            case "message_delta":
                _answer.StopReason = root.TryGet("delta", out var delta) ? delta.String("stop_reason") ?? _answer.StopReason : _answer.StopReason;
                if (root.TryGet("usage", out var usage))
                {
                    _answer.ReadAnthropicUsage(usage);
                }

                break;
            case "message_stop":
                var final = StopReasons.ToResponsesIncomplete(_answer.StopReason) is null ? "response.completed" : "response.incomplete";
                WriteResponseEvent(output, final, done: true);
                Finished = true;
                break;
        }
    }

    /// <inheritdoc />
    protected override void WriteSequence(Utf8JsonWriter json) => json.WriteNumber("sequence_number", _sequence++);

    private void StartBlock(JsonElement root, IBufferWriter<byte> output)
    {
        var block = root.TryGet("content_block", out var value) ? value : default;
        var type = block.String("type");
        if (type is not ("text" or "tool_use"))
        {
            return;
        }

        var outputIndex = _answer.Blocks.Count;
        _blockByIndex[root.TryGet("index", out var number) ? number.GetInt32() : 0] = outputIndex;
        _answer.Blocks.Add(type == "text" ? AnswerBlock.OfText(block.String("text") ?? "") : AnswerBlock.OfToolCall(block.String("id") ?? "", block.String("name") ?? ""));

        var json = BeginEvent(output, "response.output_item.added");
        json.WriteNumber("output_index", outputIndex);
        json.WritePropertyName("item");
        AnswerWriters.WriteOutputItem(json, _answer, outputIndex, done: false);
        EndEvent(output);
        if (type == "text")
        {
            json = BeginPartEvent(output, "response.content_part.added", outputIndex);
            json.WritePropertyName("part");
            OpenAIJson.WriteTextPart(json, "");
            EndEvent(output);
        }
    }

    private void WriteDelta(JsonElement root, IBufferWriter<byte> output)
    {
        if (!TryBlock(root, out var outputIndex, out var block))
        {
            return;
        }

        var delta = root.TryGet("delta", out var value) ? value : default;
        var fragment = block.IsToolCall ? delta.String("partial_json") : delta.String("text");
        if (fragment is null)
        {
            return;
        }

        block.Content.Append(fragment);
        var json = block.IsToolCall ? BeginItemEvent(output, "response.function_call_arguments.delta", outputIndex) : BeginPartEvent(output, "response.output_text.delta", outputIndex);
        json.WriteString("delta", fragment);
        if (!block.IsToolCall)
        {
            json.WriteStartArray("logprobs");
            json.WriteEndArray();
        }

        EndEvent(output);
    }

    private void StopBlock(JsonElement root, IBufferWriter<byte> output)
    {
        if (!TryBlock(root, out var outputIndex, out var block))
        {
            return;
        }

        Utf8JsonWriter json;
        if (block.IsToolCall)
        {
            json = BeginItemEvent(output, "response.function_call_arguments.done", outputIndex);
            json.WriteString("name", block.ToolName);
            json.WriteString("arguments", block.Content.ToString());
            EndEvent(output);
        }
        else
        {
            var text = block.Content.ToString();
            json = BeginPartEvent(output, "response.output_text.done", outputIndex);
            json.WriteString("text", text);
            json.WriteStartArray("logprobs");
            json.WriteEndArray();
            EndEvent(output);
            json = BeginPartEvent(output, "response.content_part.done", outputIndex);
            json.WritePropertyName("part");
            OpenAIJson.WriteTextPart(json, text);
            EndEvent(output);
        }

        json = BeginEvent(output, "response.output_item.done");
        json.WriteNumber("output_index", outputIndex);
        json.WritePropertyName("item");
        AnswerWriters.WriteOutputItem(json, _answer, outputIndex, done: true);
        EndEvent(output);
    }

    private bool TryBlock(JsonElement root, out int outputIndex, out AnswerBlock block)
    {
        var found = _blockByIndex.TryGetValue(root.TryGet("index", out var number) ? number.GetInt32() : 0, out outputIndex);
        block = found ? _answer.Blocks[outputIndex] : null!;
        return found;
    }

    private void WriteResponseEvent(IBufferWriter<byte> output, string type, bool done)
    {
        var json = BeginEvent(output, type);
        json.WritePropertyName("response");
        AnswerWriters.WriteResponse(json, _answer, Context, Created, done);
        EndEvent(output);
    }

    private Utf8JsonWriter BeginEvent(IBufferWriter<byte> output, string type)
    {
        var json = Begin(output, type);
        json.WriteStartObject();
        json.WriteString("type", type);
        WriteSequence(json);
        return json;
    }

    private Utf8JsonWriter BeginItemEvent(IBufferWriter<byte> output, string type, int outputIndex)
    {
        var json = BeginEvent(output, type);
        json.WriteString("item_id", AnswerWriters.ItemId(_answer, outputIndex));
        json.WriteNumber("output_index", outputIndex);
        return json;
    }

    private Utf8JsonWriter BeginPartEvent(IBufferWriter<byte> output, string type, int outputIndex)
    {
        var json = BeginItemEvent(output, type, outputIndex);
        json.WriteNumber("content_index", 0);
        return json;
    }

    private void EndEvent(IBufferWriter<byte> output)
    {
        Writer.WriteEndObject();
        End(output);
    }
}
