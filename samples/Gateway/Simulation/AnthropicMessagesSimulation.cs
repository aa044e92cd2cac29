using System.Text.Json;
using Gateway.Surfaces;

namespace Gateway.Simulation;

/// <summary>
/// Anthropic Messages: a <c>message</c> object, or <c>message_start</c> (input tokens), content block events,
/// <c>message_delta</c> (the final output tokens) and <c>message_stop</c>. A forced tool call answers with a
/// <c>tool_use</c> block, its input streamed as <c>input_json_delta</c> events, and <c>stop_reason: "tool_use"</c>.
/// </summary>
internal sealed class AnthropicMessagesSimulation : SurfaceSimulation
{
    /// <inheritdoc />
    public override ApiSurface Surface => ApiSurface.AnthropicMessages;

    /// <inheritdoc />
    public override void WriteResponse(Utf8JsonWriter json, SimulatedAnswer answer)
    {
        WriteMessageHeader(json, answer);
        json.WriteStartArray("content");
        json.WriteStartObject();
        if (answer.Tool is { } tool)
        {
            json.WriteString("type", "tool_use");
            json.WriteString("id", "toolu_" + tool.Id);
            json.WriteString("name", tool.Name);
            json.WritePropertyName("input");
            json.WriteRawValue(tool.Arguments);
        }
        else
        {
            json.WriteString("type", "text");
            json.WriteString("text", answer.Text);
        }

        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteString("stop_reason", StopReason(answer));
        json.WriteNull("stop_sequence");
        WriteUsage(json, answer.PromptTokens, answer.CompletionTokens);
        json.WriteEndObject();
    }

    /// <inheritdoc />
    public override async Task WriteStreamAsync(SseEventWriter events, SimulatedAnswer answer, SimulatedPace pace, CancellationToken cancellationToken)
    {
        await pace.FirstTokenAsync(cancellationToken);

        var json = StartTypedEvent(events, "message_start");
        json.WritePropertyName("message");
        WriteMessageHeader(json, answer);
        json.WriteStartArray("content");
        json.WriteEndArray();
        json.WriteNull("stop_reason");
        json.WriteNull("stop_sequence");
        WriteUsage(json, answer.PromptTokens, 1);
        json.WriteEndObject();
        json.WriteEndObject();
        await events.SendAsync(cancellationToken);

        json = StartTypedEvent(events, "content_block_start");
        json.WriteNumber("index", 0);
        json.WriteStartObject("content_block");
        if (answer.Tool is { } tool)
        {
            json.WriteString("type", "tool_use");
            json.WriteString("id", "toolu_" + tool.Id);
            json.WriteString("name", tool.Name);
            json.WriteStartObject("input");
            json.WriteEndObject();
        }
        else
        {
            json.WriteString("type", "text");
            json.WriteString("text", "");
        }

        json.WriteEndObject();
        json.WriteEndObject();
        await events.SendAsync(cancellationToken);

        json = StartTypedEvent(events, "ping");
        json.WriteEndObject();
        await events.SendAsync(cancellationToken);

        await StreamTokensAsync(
            events,
            answer,
            pace,
            (delta, token, _) =>
            {
                delta.WriteStartObject();
                delta.WriteString("type", "content_block_delta");
                delta.WriteNumber("index", 0);
                delta.WriteStartObject("delta");
                if (answer.Tool is null)
                {
                    delta.WriteString("type", "text_delta");
                    delta.WriteString("text", token);
                }
                else
                {
                    delta.WriteString("type", "input_json_delta");
                    delta.WriteString("partial_json", token);
                }

                delta.WriteEndObject();
                delta.WriteEndObject();
            },
            "content_block_delta",
            cancellationToken);

        json = StartTypedEvent(events, "content_block_stop");
        json.WriteNumber("index", 0);
        json.WriteEndObject();
        await events.SendAsync(cancellationToken);

        json = StartTypedEvent(events, "message_delta");
        json.WriteStartObject("delta");
        json.WriteString("stop_reason", StopReason(answer));
        json.WriteNull("stop_sequence");
        json.WriteEndObject();
        json.WriteStartObject("usage");
        json.WriteNumber("output_tokens", answer.CompletionTokens);
        json.WriteEndObject();
        json.WriteEndObject();
        await events.SendAsync(cancellationToken);

        json = StartTypedEvent(events, "message_stop");
        json.WriteEndObject();
        await events.SendAsync(cancellationToken);
    }

    private static void WriteMessageHeader(Utf8JsonWriter json, SimulatedAnswer answer)
    {
        json.WriteStartObject();
        json.WriteString("id", "msg_" + answer.IdSuffix);
        json.WriteString("type", "message");
        json.WriteString("role", "assistant");
        json.WriteString("model", answer.Model);
    }

    private static void WriteUsage(Utf8JsonWriter json, int inputTokens, int outputTokens)
    {
        json.WriteStartObject("usage");
        json.WriteNumber("input_tokens", inputTokens);
        json.WriteNumber("output_tokens", outputTokens);
        json.WriteEndObject();
    }

    private static string StopReason(SimulatedAnswer answer) => answer.Tool is not null ? "tool_use" : answer.Truncated ? "max_tokens" : "end_turn";
}
