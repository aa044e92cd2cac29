using System.Text.Json;
using Gateway.Surfaces;

namespace Gateway.Simulation;

/// <summary>
/// OpenAI Chat Completions: a <c>chat.completion</c> object, or <c>chat.completion.chunk</c> events ending with a
/// finish chunk, a usage chunk when <c>stream_options.include_usage</c> asked for one, and <c>data: [DONE]</c>.
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
        json.WriteStartObject();
        json.WriteNumber("index", 0);
        json.WriteStartObject("message");
        json.WriteString("role", "assistant");
        json.WriteString("content", answer.Text);
        json.WriteNull("refusal");
        json.WriteEndObject();
        json.WriteNull("logprobs");
        json.WriteString("finish_reason", FinishReason(answer));
        json.WriteEndObject();
        json.WriteEndArray();
        WriteUsage(json, answer);
        json.WriteEndObject();
    }

    /// <inheritdoc />
    public override async Task WriteStreamAsync(SseEventWriter events, SimulatedAnswer answer, SimulatedPace pace, CancellationToken cancellationToken)
    {
        await pace.FirstTokenAsync(cancellationToken);
        WriteChunk(events.Start(null), answer, role: true, content: "", finishReason: null);
        await events.SendAsync(cancellationToken);
        await StreamTokensAsync(events, answer, pace, (json, token, _) => WriteChunk(json, answer, role: false, token, null), null, cancellationToken);

        WriteChunk(events.Start(null), answer, role: false, content: null, FinishReason(answer));
        await events.SendAsync(cancellationToken);
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

    private static void WriteChunk(Utf8JsonWriter json, SimulatedAnswer answer, bool role, string? content, string? finishReason)
    {
        WriteHeader(json, answer, "chat.completion.chunk");
        json.WriteStartArray("choices");
        json.WriteStartObject();
        json.WriteNumber("index", 0);
        json.WriteStartObject("delta");
        if (role)
        {
            json.WriteString("role", "assistant");
        }

        if (content is not null)
        {
            json.WriteString("content", content);
        }

        json.WriteEndObject();
        json.WriteNull("logprobs");
        if (finishReason is null)
        {
            json.WriteNull("finish_reason");
        }
        else
        {
            json.WriteString("finish_reason", finishReason);
        }

        json.WriteEndObject();
        json.WriteEndArray();
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

    private static string FinishReason(SimulatedAnswer answer) => answer.Truncated ? "length" : "stop";
}
