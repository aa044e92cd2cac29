using System.Text.Json;
using Gateway.Surfaces;

namespace Gateway.Simulation;

/// <summary>
/// OpenAI Chat Completions: a <c>chat.completion</c> object with <c>n</c> choices, or <c>chat.completion.chunk</c>
/// events ending with a finish chunk per choice, a usage chunk when <c>stream_options.include_usage</c> asked for one
/// (every other chunk then carries <c>"usage": null</c>, as OpenAI's do), and <c>data: [DONE]</c>. A forced tool call
/// answers with <c>tool_calls</c>, its arguments streamed as deltas, and <c>finish_reason: "tool_calls"</c>.
/// </summary>
internal sealed class OpenAIChatSimulation : SurfaceSimulation
{
    /// <inheritdoc />
    public override ApiSurface Surface => ApiSurface.OpenAIChat;

    /// <inheritdoc />
    public override void WriteResponse(Utf8JsonWriter json, SimulatedAnswer answer)
    {
        WriteHeader(json, answer, "chat.completion");
        json.WriteStartArray("choices");
        for (var choice = 0; choice < answer.Choices; choice++)
        {
            json.WriteStartObject();
            json.WriteNumber("index", choice);
            json.WriteStartObject("message");
            json.WriteString("role", "assistant");
            if (answer.Tool is { } tool)
            {
                json.WriteNull("content");
                json.WriteNull("refusal");
                json.WriteStartArray("tool_calls");
                json.WriteStartObject();
                json.WriteString("id", "call_" + tool.Id);
                json.WriteString("type", "function");
                json.WriteStartObject("function");
                json.WriteString("name", tool.Name);
                json.WriteString("arguments", tool.Arguments);
                json.WriteEndObject();
                json.WriteEndObject();
                json.WriteEndArray();
            }
            else
            {
                json.WriteString("content", answer.Text);
                json.WriteNull("refusal");
            }

            json.WriteEndObject();
            json.WriteNull("logprobs");
            json.WriteString("finish_reason", FinishReason(answer));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        WriteUsage(json, answer);
        json.WriteEndObject();
    }

    /// <inheritdoc />
    public override async Task WriteStreamAsync(SseEventWriter events, SimulatedAnswer answer, SimulatedPace pace, CancellationToken cancellationToken)
    {
        await pace.FirstTokenAsync(cancellationToken);
        for (var choice = 0; choice < answer.Choices; choice++)
        {
            WriteChunk(events.Start(null), answer, choice, first: true, token: answer.Tool is null ? "" : null, finishReason: null);
            await events.SendAsync(cancellationToken);
        }

        for (var i = 0; i < answer.Tokens.Count; i++)
        {
            if (i > 0)
            {
                await pace.NextTokenAsync(cancellationToken);
            }

            for (var choice = 0; choice < answer.Choices; choice++)
            {
                WriteChunk(events.Start(null), answer, choice, first: false, answer.Tokens[i], finishReason: null);
                await events.SendAsync(cancellationToken);
            }
        }

        for (var choice = 0; choice < answer.Choices; choice++)
        {
            WriteChunk(events.Start(null), answer, choice, first: false, token: null, FinishReason(answer));
            await events.SendAsync(cancellationToken);
        }

        if (answer.IncludeStreamUsage)
        {
            var json = events.Start(null);
            WriteHeader(json, answer, "chat.completion.chunk");
            json.WriteStartArray("choices");
            json.WriteEndArray();
            WriteUsage(json, answer);
            json.WriteEndObject();
            await events.SendAsync(cancellationToken);
        }

        await events.SendDoneAsync(cancellationToken);
    }

    // The first chunk of a choice carries the role (and, for a tool call, its id and name); later ones a token each.
    private static void WriteChunk(Utf8JsonWriter json, SimulatedAnswer answer, int choice, bool first, string? token, string? finishReason)
    {
        WriteHeader(json, answer, "chat.completion.chunk");
        json.WriteStartArray("choices");
        json.WriteStartObject();
        json.WriteNumber("index", choice);
        json.WriteStartObject("delta");
        if (first)
        {
            json.WriteString("role", "assistant");
        }

        if (answer.Tool is { } tool && (first || token is not null))
        {
            if (first)
            {
                json.WriteNull("content");
            }

            json.WriteStartArray("tool_calls");
            json.WriteStartObject();
            json.WriteNumber("index", 0);
            if (first)
            {
                json.WriteString("id", "call_" + tool.Id);
                json.WriteString("type", "function");
            }

            json.WriteStartObject("function");
            if (first)
            {
                json.WriteString("name", tool.Name);
            }

            json.WriteString("arguments", token ?? "");
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
        }
        else if (token is not null)
        {
            json.WriteString("content", token);
        }

        json.WriteEndObject();
        OpenAIJson.EndSingleChoice(json, finishReason);
        if (answer.IncludeStreamUsage)
        {
            json.WriteNull("usage");
        }

        json.WriteEndObject();
    }

    private static void WriteHeader(Utf8JsonWriter json, SimulatedAnswer answer, string objectType)
    {
        json.WriteStartObject();
        json.WriteString("id", "chatcmpl-" + answer.IdSuffix);
        json.WriteString("object", objectType);
        json.WriteNumber("created", answer.Created);
        json.WriteString("model", answer.Model);
        json.WriteString("system_fingerprint", "fp_simulated");
    }

    private static void WriteUsage(Utf8JsonWriter json, SimulatedAnswer answer)
    {
        json.WriteStartObject("usage");
        json.WriteNumber("prompt_tokens", answer.PromptTokens);
        json.WriteNumber("completion_tokens", answer.CompletionTokens);
        json.WriteNumber("total_tokens", answer.PromptTokens + answer.CompletionTokens);
        json.WriteEndObject();
    }

    private static string FinishReason(SimulatedAnswer answer) => answer.Tool is not null ? "tool_calls" : answer.Truncated ? "length" : "stop";
}
