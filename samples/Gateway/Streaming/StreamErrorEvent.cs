using System.Buffers;
using System.Text.Json;
using Gateway.Surfaces;

namespace Gateway.Streaming;

/// <summary>
/// The Server-Sent Event that ends a client's stream when the upstream breaks mid-way, in each API's own form:
/// OpenAI Chat's <c>data: {"error":{...}}</c>, Responses' <c>event: error</c> with <c>{"type":"error","code","message"}</c>,
/// and Anthropic's <c>event: error</c> with <c>{"type":"error","error":{...}}</c>.
/// </summary>
internal static class StreamErrorEvent
{
    /// <summary>The UTF-8 bytes of the error event for <paramref name="surface"/>, with its blank-line terminator.</summary>
    public static byte[] For(ApiSurface surface, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        if (surface != ApiSurface.OpenAIChat)
        {
            buffer.Write("event: error\n"u8);
        }

        buffer.Write("data: "u8);
        using (var json = new Utf8JsonWriter(buffer, ApiJson.WriterOptions))
        {
            if (surface == ApiSurface.OpenAIResponses)
            {
                json.WriteStartObject();
                json.WriteString("type", "error");
                json.WriteString("code", ApiErrors.OpenAICode(ApiErrorKind.StreamInterrupted));
                json.WriteString("message", message);
                json.WriteNull("param");
                json.WriteEndObject();
            }
            else
            {
                ApiErrors.Write(json, surface.Style, ApiErrorKind.StreamInterrupted, message);
            }
        }

        buffer.Write("\n\n"u8);
        return buffer.WrittenSpan.ToArray();
    }
}
