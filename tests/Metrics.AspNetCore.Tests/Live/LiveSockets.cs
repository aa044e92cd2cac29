using System.Net.WebSockets;
using System.Text.Json;

namespace Metrics.AspNetCore.Tests.Live;

/// <summary>Reads the live WebSocket's messages, which may arrive in several frames, as JSON.</summary>
internal static class LiveSockets
{
    public static async Task<JsonElement> ReceiveAsync(WebSocket socket, TimeSpan? timeout = null)
    {
        using var cancellation = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, cancellation.Token);
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        result.MessageType.ShouldBe(WebSocketMessageType.Text);
        return JsonDocument.Parse(message.ToArray()).RootElement.Clone();
    }
}
