using System.Text;
using System.Text.Json;

namespace Metrics.AspNetCore.Tests.Live;

/// <summary>Reads Server-Sent Events off a response stream, one event (its <c>id</c> and parsed <c>data</c>) at a time.</summary>
internal sealed class ServerSentEvents(Stream stream) : IDisposable
{
    private readonly StreamReader _reader = new(stream, Encoding.UTF8);

    public async Task<(string Id, JsonElement Data)> ReadAsync(TimeSpan? timeout = null)
    {
        using var cancellation = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var id = "";
        var data = new StringBuilder();
        while (await _reader.ReadLineAsync(cancellation.Token) is { } line)
        {
            if (line.Length == 0)
            {
                return (id, JsonDocument.Parse(data.ToString()).RootElement.Clone());
            }

            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line["id: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Append(line["data: ".Length..]);
            }
        }

        throw new EndOfStreamException("The stream ended before the event did.");
    }

    public void Dispose() => _reader.Dispose();
}
