using System.Text.Json;
using Gateway.Surfaces;

namespace Gateway.Simulation;

/// <summary>
/// OpenAI Responses: a <c>response</c> object, or the typed event sequence from <c>response.created</c> through
/// <c>response.output_text.delta</c> (or <c>response.function_call_arguments.delta</c> for a forced tool call) to
/// <c>response.completed</c>, whose response carries the usage. An answer cut by <c>max_output_tokens</c> is
/// <c>"status": "incomplete"</c> with <c>incomplete_details.reason: "max_output_tokens"</c>, and its stream ends with
/// <c>response.incomplete</c>, as OpenAI's does.
/// </summary>
internal sealed class OpenAIResponsesSimulation : SurfaceSimulation
{
    /// <inheritdoc />
    public override ApiSurface Surface => ApiSurface.OpenAIResponses;

    /// <inheritdoc />
    public override void WriteResponse(Utf8JsonWriter json, SimulatedAnswer answer) => WriteResponseObject(json, answer, done: true);

    /// <inheritdoc />
    public override async Task WriteStreamAsync(SseEventWriter events, SimulatedAnswer answer, SimulatedPace pace, CancellationToken cancellationToken)
    {
        var itemId = ItemId(answer);
        await pace.FirstTokenAsync(cancellationToken);

        var json = StartEvent(events, "response.created", 0);
        json.WritePropertyName("response");
        WriteResponseObject(json, answer, done: false);
        json.WriteEndObject();
        await events.SendAsync(cancellationToken);

        json = StartEvent(events, "response.in_progress", 1);
        json.WritePropertyName("response");
        WriteResponseObject(json, answer, done: false);
        json.WriteEndObject();
        await events.SendAsync(cancellationToken);

        json = StartEvent(events, "response.output_item.added", 2);
        json.WriteNumber("output_index", 0);
        json.WritePropertyName("item");
        WriteOutputItem(json, answer, done: false);
        json.WriteEndObject();
        await events.SendAsync(cancellationToken);

        var sequence = answer.Tool is null
            ? await StreamTextAsync(events, answer, pace, itemId, 3, cancellationToken)
            : await StreamArgumentsAsync(events, answer, pace, itemId, 3, cancellationToken);

        json = StartEvent(events, "response.output_item.done", sequence++);
        json.WriteNumber("output_index", 0);
        json.WritePropertyName("item");
        WriteOutputItem(json, answer, done: true);
        json.WriteEndObject();
        await events.SendAsync(cancellationToken);

        json = StartEvent(events, answer.Truncated ? "response.incomplete" : "response.completed", sequence);
        json.WritePropertyName("response");
        WriteResponseObject(json, answer, done: true);
        json.WriteEndObject();
        await events.SendAsync(cancellationToken);
    }

    private static async Task<int> StreamTextAsync(
        SseEventWriter events, SimulatedAnswer answer, SimulatedPace pace, string itemId, int sequence, CancellationToken cancellationToken)
    {
        var json = StartPartEvent(events, "response.content_part.added", sequence++, itemId);
        json.WritePropertyName("part");
        OpenAIJson.WriteTextPart(json, "");
        json.WriteEndObject();
        await events.SendAsync(cancellationToken);

        var first = sequence;
        await StreamTokensAsync(
            events,
            answer,
            pace,
            (delta, token, index) =>
            {
                WritePartEventHeader(delta, "response.output_text.delta", first + index, itemId);
                delta.WriteString("delta", token);
                delta.WriteStartArray("logprobs");
                delta.WriteEndArray();
                delta.WriteEndObject();
            },
            "response.output_text.delta",
            cancellationToken);
        sequence += answer.Tokens.Count;

        json = StartPartEvent(events, "response.output_text.done", sequence++, itemId);
        json.WriteString("text", answer.Text);
        json.WriteStartArray("logprobs");
        json.WriteEndArray();
        json.WriteEndObject();
        await events.SendAsync(cancellationToken);

        json = StartPartEvent(events, "response.content_part.done", sequence++, itemId);
        json.WritePropertyName("part");
        OpenAIJson.WriteTextPart(json, answer.Text);
        json.WriteEndObject();
        await events.SendAsync(cancellationToken);
        return sequence;
    }

    private static async Task<int> StreamArgumentsAsync(
        SseEventWriter events, SimulatedAnswer answer, SimulatedPace pace, string itemId, int sequence, CancellationToken cancellationToken)
    {
        var first = sequence;
        await StreamTokensAsync(
            events,
            answer,
            pace,
            (delta, token, index) =>
            {
                delta.WriteStartObject();
                delta.WriteString("type", "response.function_call_arguments.delta");
                delta.WriteNumber("sequence_number", first + index);
                delta.WriteString("item_id", itemId);
                delta.WriteNumber("output_index", 0);
                delta.WriteString("delta", token);
                delta.WriteEndObject();
            },
            "response.function_call_arguments.delta",
            cancellationToken);
        sequence += answer.Tokens.Count;

        var json = StartEvent(events, "response.function_call_arguments.done", sequence++);
        json.WriteString("item_id", itemId);
        json.WriteNumber("output_index", 0);
        json.WriteString("name", answer.Tool!.Name);
        json.WriteString("arguments", answer.Tool.Arguments);
        json.WriteEndObject();
        await events.SendAsync(cancellationToken);
        return sequence;
    }

    private static string ItemId(SimulatedAnswer answer) => answer.Tool is { } tool ? "fc_" + tool.Id : "msg_" + answer.IdSuffix;

    private static Utf8JsonWriter StartEvent(SseEventWriter events, string type, int sequence)
    {
        var json = StartTypedEvent(events, type);
        json.WriteNumber("sequence_number", sequence);
        return json;
    }

    private static Utf8JsonWriter StartPartEvent(SseEventWriter events, string type, int sequence, string itemId)
    {
        var json = events.Start(type);
        WritePartEventHeader(json, type, sequence, itemId);
        return json;
    }

    private static void WritePartEventHeader(Utf8JsonWriter json, string type, int sequence, string itemId)
    {
        json.WriteStartObject();
        json.WriteString("type", type);
        json.WriteNumber("sequence_number", sequence);
        json.WriteString("item_id", itemId);
        json.WriteNumber("output_index", 0);
        json.WriteNumber("content_index", 0);
    }

    private static void WriteResponseObject(Utf8JsonWriter json, SimulatedAnswer answer, bool done)
    {
        json.WriteStartObject();
        json.WriteString("id", "resp_" + answer.IdSuffix);
        json.WriteString("object", "response");
        json.WriteNumber("created_at", answer.Created);
        json.WriteString("status", !done ? "in_progress" : answer.Truncated ? "incomplete" : "completed");
        json.WriteNull("error");
        if (done && answer.Truncated)
        {
            json.WriteStartObject("incomplete_details");
            json.WriteString("reason", "max_output_tokens");
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("incomplete_details");
        }

        json.WriteString("model", answer.Model);
        json.WriteStartArray("output");
        if (done)
        {
            WriteOutputItem(json, answer, done: true);
        }

        json.WriteEndArray();
        json.WriteBoolean("parallel_tool_calls", true);
        if (done)
        {
            OpenAIJson.WriteResponsesUsage(json, answer.PromptTokens, 0, answer.CompletionTokens);
        }
        else
        {
            json.WriteNull("usage");
        }

        json.WriteEndObject();
    }

    private static void WriteOutputItem(Utf8JsonWriter json, SimulatedAnswer answer, bool done)
    {
        var status = !done ? "in_progress" : answer.Truncated ? "incomplete" : "completed";
        json.WriteStartObject();
        if (answer.Tool is { } tool)
        {
            json.WriteString("type", "function_call");
            json.WriteString("id", "fc_" + tool.Id);
            json.WriteString("call_id", "call_" + tool.Id);
            json.WriteString("name", tool.Name);
            json.WriteString("arguments", done ? tool.Arguments : "");
            json.WriteString("status", status);
            json.WriteEndObject();
            return;
        }

        json.WriteString("type", "message");
        json.WriteString("id", "msg_" + answer.IdSuffix);
        json.WriteString("status", status);
        json.WriteString("role", "assistant");
        json.WriteStartArray("content");
        if (done)
        {
            OpenAIJson.WriteTextPart(json, answer.Text);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
