using System.Buffers;
using System.Text.Json;
using Gateway.Streaming;
using Gateway.Surfaces;

namespace Gateway.Simulation;

/// <summary>Writes Server-Sent Events with JSON data to a response, one flushed write per event.</summary>
internal sealed class SseEventWriter : IDisposable
{
    private readonly HttpResponse _response;
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _json;

    /// <summary>Prepares <paramref name="response"/> for an event stream.</summary>
    public SseEventWriter(HttpResponse response)
    {
        _response = response;
        _response.ContentType = "text/event-stream";
        _response.Headers.CacheControl = "no-cache";
        _json = new Utf8JsonWriter(_buffer, ApiJson.WriterOptions);
    }

    /// <summary>Starts an event named <paramref name="eventName"/> (or unnamed) and returns the writer of its data.</summary>
    public Utf8JsonWriter Start(string? eventName)
    {
        _buffer.ResetWrittenCount();
        SseFormat.WriteEventStart(_buffer, eventName);
        _json.Reset(_buffer);
        return _json;
    }

    /// <summary>Ends the started event and sends it.</summary>
    public async Task SendAsync(CancellationToken cancellationToken)
    {
        _json.Flush();
        _buffer.Write("\n\n"u8);
        await _response.Body.WriteAsync(_buffer.WrittenMemory, cancellationToken);
    }

    /// <summary>Sends OpenAI's closing <c>data: [DONE]</c>.</summary>
    public async Task SendDoneAsync(CancellationToken cancellationToken) =>
        await _response.Body.WriteAsync("data: [DONE]\n\n"u8.ToArray(), cancellationToken);

    /// <summary>Releases the JSON writer.</summary>
    public void Dispose() => _json.Dispose();
}
