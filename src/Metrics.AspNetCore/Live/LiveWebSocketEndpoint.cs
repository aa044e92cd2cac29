using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;

namespace Metrics.AspNetCore;

/// <summary>
/// Serves the live updates over a WebSocket: one text message a second, the same JSON as the SSE stream's events.
/// The client sends nothing; its close message ends the subscription, and a client dropped for falling behind has
/// its socket aborted.
/// </summary>
internal sealed class LiveWebSocketEndpoint(MetricRegistry registry, LiveUpdateHub hub)
{
    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await HistoryEndpoint.WriteErrorAsync(
                context, HistoryQuery.Error("This endpoint speaks WebSocket: open it with a WebSocket client, or use the Server-Sent Events stream.")).ConfigureAwait(false);
            return;
        }

        using var subscription = await LiveRequests.SubscribeAsync(context, registry, hub).ConfigureAwait(false);
        if (subscription is null)
        {
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var closing = WaitForCloseAsync(socket, subscription);
        try
        {
            await foreach (var message in subscription.Messages.ReadAllAsync(subscription.Ended).ConfigureAwait(false))
            {
                await socket.SendAsync(message.Json, WebSocketMessageType.Text, endOfMessage: true, subscription.Ended).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException)
        {
        }

        if (subscription.WasDropped || socket.State != WebSocketState.CloseReceived)
        {
            socket.Abort();
        }
        else
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).ConfigureAwait(false);
        }

        await closing.ConfigureAwait(false);
    }

    // Reads until the client's close message (or the connection's end), then ends the subscription.
    private static async Task WaitForCloseAsync(WebSocket socket, LiveSubscription subscription)
    {
        var buffer = new byte[256];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, subscription.Ended).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException)
        {
        }

        subscription.End();
    }
}
