using System.Buffers;
using System.Text.Json;
using Gateway.Streaming;
using Gateway.Surfaces;

namespace Gateway.Translation;

/// <summary>
/// The shared part of the stream translators: one reusable JSON writer that writes events straight into the
/// client's output, and the error event of the client's API.
/// </summary>
internal abstract class StreamTranslation(TranslationContext context) : SseEventTransform
{
    private Utf8JsonWriter? _json;

    /// <summary>The request's translation context.</summary>
    protected TranslationContext Context { get; } = context;

    /// <summary>Whether the client's stream has had its last event.</summary>
    protected bool Finished { get; set; }

    /// <summary>The Unix time the translated answer reports as its creation.</summary>
    protected long Created { get; } = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary>The writer of the event being written.</summary>
    protected Utf8JsonWriter Writer => _json ?? throw new InvalidOperationException("No event has been started.");

    /// <inheritdoc />
    protected sealed override void OnEvent(string? eventName, ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        if (Finished)
        {
            return;
        }

        if (data.SequenceEqual("[DONE]"u8))
        {
            OnDone(output);
            return;
        }

        using var document = Parse(data);
        if (document is null)
        {
            return;
        }

        // Both APIs put an error under "error": Anthropic's error event and OpenAI's error chunk.
        var root = document.RootElement;
        if (root.TryGet("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            WriteError(output, error.String("type"), error.String("message") ?? "The provider reported an error.");
            return;
        }

        OnUpstreamEvent(root, output);
    }

    /// <summary>Translates one of the provider's events, a JSON object other than an error.</summary>
    protected abstract void OnUpstreamEvent(JsonElement root, IBufferWriter<byte> output);

    /// <summary>Handles OpenAI's closing <c>data: [DONE]</c>.</summary>
    protected virtual void OnDone(IBufferWriter<byte> output)
    {
    }

    /// <summary>Starts an event named <paramref name="eventName"/> (or unnamed) and returns the writer of its JSON data.</summary>
    protected Utf8JsonWriter Begin(IBufferWriter<byte> output, string? eventName)
    {
        SseFormat.WriteEventStart(output, eventName);
        if (_json is null)
        {
            _json = new Utf8JsonWriter(output, ApiJson.WriterOptions);
        }
        else
        {
            _json.Reset(output);
        }

        return _json;
    }

    /// <summary>Ends the event <see cref="Begin"/> started.</summary>
    protected void End(IBufferWriter<byte> output)
    {
        _json!.Flush();
        output.Write("\n\n"u8);
    }

    /// <summary>Writes the client API's error event for an error the provider reported as <paramref name="type"/>.</summary>
    protected void WriteError(IBufferWriter<byte> output, string? type, string message)
    {
        Finished = true;
        var surface = Context.ClientSurface;
        if (surface == ApiSurface.OpenAIResponses)
        {
            var json = Begin(output, "error");
            json.WriteStartObject();
            json.WriteString("type", "error");
            json.WriteString("code", ApiErrors.OpenAICode(ErrorTranslation.KindOf(type)) ?? "server_error");
            json.WriteString("message", message);
            json.WriteNull("param");
            WriteSequence(json);
            json.WriteEndObject();
            End(output);
            return;
        }

        var writer = Begin(output, surface == ApiSurface.OpenAIChat ? null : "error");
        ApiErrors.Write(writer, surface.Style, ErrorTranslation.KindOf(type), message);
        End(output);
    }

    /// <summary>Writes the <c>sequence_number</c> a Responses event carries; other APIs number nothing.</summary>
    protected virtual void WriteSequence(Utf8JsonWriter json)
    {
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _json?.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Ends a stream that stopped before its last event with the client API's error event.</summary>
    protected override void OnEnd(IBufferWriter<byte> output)
    {
        if (!Finished)
        {
            WriteError(output, "api_error", "The provider's stream ended before its last event.");
        }
    }

    private static JsonDocument? Parse(ReadOnlySpan<byte> data)
    {
        try
        {
            var document = JsonDocument.Parse(data.ToArray());
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document;
            }

            document.Dispose();
        }
        catch (JsonException)
        {
            // Not an event this API sends: relayed as nothing.
        }

        return null;
    }
}
