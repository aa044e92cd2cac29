using System.Text.Encodings.Web;
using System.Text.Json;

namespace Gateway.Surfaces;

/// <summary>JSON writer settings for API bodies and events, the gateway's and the simulated providers'.</summary>
internal static class ApiJson
{
    /// <summary>
    /// Escapes only what JSON requires, as the real APIs do: these bodies are never embedded in HTML, and
    /// <c>\u0027</c> for every apostrophe in a completion would only bloat streams.
    /// </summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
