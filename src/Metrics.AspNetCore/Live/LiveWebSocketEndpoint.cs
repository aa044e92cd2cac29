using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;

namespace Metrics.AspNetCore;

/// <summary>
/// Serves the live updates over a WebSocket: one text message a second, the same JSON as the SSE stream's events.
/// Only pages of the server's own origin, or of the allowed ones, may open it. The client sends nothing; its close
/// message ends the subscription. The server pings it every send timeout: a client that stops reading stops
/// answering, and is dropped with its socket aborted, as is one whose writes make no progress.
/// </summary>
internal sealed class LiveWebSocketEndpoint(LiveRequests requests, LiveOrigins origins)
{
    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await EndpointErrors.WriteAsync(
                context,
                StatusCodes.Status400BadRequest,
                "websocket_required",
                "This endpoint speaks WebSocket: open it with a WebSocket client, or use the Server-Sent Events stream.").ConfigureAwait(false);
            return;
        }

        if (!origins.Allows(context.Request))
        {
            await EndpointErrors.WriteAsync(
                context,
                StatusCodes.Status403Forbidden,
                "origin_not_allowed",
                $"Pages from '{context.Request.Headers.Origin}' may not open this WebSocket: only the server's own origin and the configured allowed origins may.").ConfigureAwait(false);
            return;
        }

        if (await requests.StartAsync(context).ConfigureAwait(false) is not var (subscription, first))
        {
            return;
        }

        using (subscription)
        {
            var hub = requests.Hub;
            var connection = LiveConnection.For(context, hub.Clock, hub.SendTimeout);
            using var socket = await context.WebSockets.AcceptWebSocketAsync(AcceptContext(hub.SendTimeout)).ConfigureAwait(false);
            var closing = WaitForCloseAsync(socket, subscription);
            try
            {
                await LiveSession.RunAsync(hub, subscription, first, connection, (chunk, isFirst, isLast, message, cancellationToken) =>
                    socket.SendAsync(chunk, WebSocketMessageType.Text, isLast, cancellationToken)).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or WebSocketException or IOException)
            {
            }

            if (subscription.WasDropped || socket.State != WebSocketState.CloseReceived)
            {
                // A connection that already broke (the client left, or the socket's own ping timed out) is not ours to end.
                subscription.ClosedByServer = !context.RequestAborted.IsCancellationRequested;
                socket.Abort();
            }
            else
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).ConfigureAwait(false);
            }

            await closing.ConfigureAwait(false);
        }
    }

    private static WebSocketAcceptContext AcceptContext(TimeSpan sendTimeout) => new()
    {
        KeepAliveInterval = sendTimeout,
#if NET9_0_OR_GREATER
        KeepAliveTimeout = sendTimeout,
#endif
    };

    // Reads until the client's close message (or the connection's end), then ends the subscription; the server's side
    // ends it by aborting the socket. Its transport reports an abort by the server as a ConnectionAbortedException: one
    // the server did not make itself is the socket's own, for a keep-alive ping that went unanswered. A client that
    // leaves shows as a WebSocketException instead. No token is passed: the connection's abort would hide which it was.
    private static async Task WaitForCloseAsync(WebSocket socket, LiveSubscription subscription)
    {
        var buffer = new byte[256];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, CancellationToken.None).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (ConnectionAbortedException) when (!subscription.ClosedByServer)
        {
            subscription.Drop();
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException or IOException)
        {
        }

        subscription.End();
    }
}
