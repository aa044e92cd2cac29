using System.Text.Json;
using Gateway.Surfaces;

namespace Gateway.Simulation;

/// <summary>
/// OpenAI Responses: a <c>response</c> object, or the typed event sequence from <c>response.created</c> through
/// <c>response.output_text.delta</c> to <c>response.completed</c>, whose response carries the usage.
/// </summary>
internal sealed class OpenAIResponsesSimulation : SurfaceSimulation
{
    /// <inheritdoc />
    public override ApiSurface Surface => ApiSurface.OpenAIResponses;

    /// <inheritdoc />
    public override void WriteResponse(Utf8JsonWriter json, SimulatedAnswer answer) => WriteResponseObject(json, answer, completed: true);

    /// <inheritdoc />
    public override async Task WriteStreamAsync(SseEventWriter events, SimulatedAnswer answer, SimulatedPace pace, CancellationToken cancellationToken)
    {
        var itemId = "msg_" + answer.IdSuffix;
        await pace.FirstTokenAsync(cancellationToken);

        var json = StartEvent(events, "response.created", 0);
        json.WritePropertyName("response");
        WriteResponseObject(json, answer, completed: false);
        json.WriteEndObject();
        await events.SendAsync(cancellationToken);

        json = StartEvent(events, "response.output_item.added", 1);
        json.WriteNumber("output_index", 0);
        json.WritePropertyName("item");
        WriteMessageItem(json, answer, completed: false);
        json.WriteEndObject();
        await events.SendAsync(cancellationToken);

        json = StartPartEvent(events, "response.content_part.added", 2, itemId);
        json.WritePropertyName("part");
        WriteTextPart(json, "");
        json.WriteEndObject();
        await events.SendAsync(cancellationToken);

        await StreamTokensAsync(
            events,
            answer,
            pace,
            (delta, token, index) =>
            {
                WritePartEventHeader(delta, "response.output_text.delta", 3 + index, itemId);
                delta.WriteString("delta", token);
                delta.WriteEndObject();
            },
            "response.output_text.delta",
            cancellationToken);

        var sequence = 3 + answer.Tokens.Count;
        json = StartPartEvent(events, "response.output_text.done", sequence++, itemId);
        json.WriteString("text", answer.Text);
        json.WriteEndObject();
        await events.SendAsync(cancellationToken);

        json = StartPartEvent(events, "response.content_part.done", sequence++, itemId);
        json.WritePropertyName("part");
        WriteTextPart(json, answer.Text);
        json.WriteEndObject();
        await events.SendAsync(cancellationToken);

        json = StartEvent(events, "response.output_item.done", sequence++);
        json.WriteNumber("output_index", 0);
        json.WritePropertyName("item");
        WriteMessageItem(json, answer, completed: true);
        json.WriteEndObject();
        await events.SendAsync(cancellationToken);

        json = StartEvent(events, "response.completed", sequence);
        json.WritePropertyName("response");
        WriteResponseObject(json, answer, completed: true);
        json.WriteEndObject();
        await events.SendAsync(cancellationToken);
    }

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

    private static void WriteResponseObject(Utf8JsonWriter json, SimulatedAnswer answer, bool completed)
    {
        json.WriteStartObject();
        json.WriteString("id", "resp_" + answer.IdSuffix);
        json.WriteString("object", "response");
        json.WriteNumber("created_at", answer.Created);
        json.WriteString("status", completed ? "completed" : "in_progress");
        json.WriteString("model", answer.Model);
        json.WriteStartArray("output");
        if (completed)
        {
            WriteMessageItem(json, answer, completed: true);
        }

        json.WriteEndArray();
        if (completed)
        {
            json.WriteStartObject("usage");
            json.WriteNumber("input_tokens", answer.PromptTokens);
            json.WriteStartObject("input_tokens_details");
            json.WriteNumber("cached_tokens", 0);
            json.WriteEndObject();
            json.WriteNumber("output_tokens", answer.CompletionTokens);
            json.WriteStartObject("output_tokens_details");
            json.WriteNumber("reasoning_tokens", 0);
            json.WriteEndObject();
            json.WriteNumber("total_tokens", answer.PromptTokens + answer.CompletionTokens);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("usage");
        }

        json.WriteEndObject();
    }

    private static void WriteMessageItem(Utf8JsonWriter json, SimulatedAnswer answer, bool completed)
    {
        json.WriteStartObject();
        json.WriteString("type", "message");
        json.WriteString("id", "msg_" + answer.IdSuffix);
        json.WriteString("status", completed ? "completed" : "in_progress");
        json.WriteString("role", "assistant");
        json.WriteStartArray("content");
        if (completed)
        {
            WriteTextPart(json, answer.Text);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteTextPart(Utf8JsonWriter json, string text)
    {
        json.WriteStartObject();
        json.WriteString("type", "output_text");
        json.WriteString("text", text);
        json.WriteStartArray("annotations");
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
