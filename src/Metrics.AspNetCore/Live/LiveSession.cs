namespace Metrics.AspNetCore;

/// <summary>Writes one chunk of a message to a live client; the first and last chunks carry the transport's framing.</summary>
internal delegate ValueTask LiveChunkWriter(ReadOnlyMemory<byte> chunk, bool isFirst, bool isLast, LiveMessage message, CancellationToken cancellationToken);

/// <summary>
/// The life of one live client, the same over SSE and WebSocket: its first message, then at each tick the update since
/// the last point it was sent. Messages go out in chunks, each handed over only when the connection can take it and
/// within the send timeout; a client that takes nothing for that long is dropped.
/// </summary>
internal static class LiveSession
{
    /// <summary>The most bytes handed to the connection at once, so a client that stops reading mid-message pins little.</summary>
    public const int ChunkBytes = 8 * 1024;

    /// <summary>Runs until the client goes, is dropped (<see cref="LiveSubscription.WasDropped"/>), or its query can no longer be read.</summary>
    /// <exception cref="OperationCanceledException">The subscription ended.</exception>
    public static async Task RunAsync(LiveUpdateHub hub, LiveSubscription subscription, LiveMessage first, LiveConnection connection, LiveChunkWriter write)
    {
        var message = first;
        while (await SendAsync(hub, subscription, connection, message, write).ConfigureAwait(false))
        {
            subscription.SentThrough = message.LastSequence;
            await subscription.WaitForTickAsync().ConfigureAwait(false);
            if (hub.UpdateFor(subscription.Query, subscription.SentThrough) is not { } update)
            {
                subscription.End();
                return;
            }

            message = update;
        }
    }

    private static async Task<bool> SendAsync(LiveUpdateHub hub, LiveSubscription subscription, LiveConnection connection, LiveMessage message, LiveChunkWriter write)
    {
        var json = message.Json;
        var offset = 0;
        do
        {
            var length = Math.Min(ChunkBytes, json.Length - offset);
            if (!await connection.WaitUntilWritableAsync(subscription.Ended).ConfigureAwait(false))
            {
                subscription.Drop();
                return false;
            }

            using var deadline = new CancellationTokenSource(hub.SendTimeout, hub.Clock);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(subscription.Ended, deadline.Token);
            try
            {
                await write(json.AsMemory(offset, length), offset == 0, offset + length == json.Length, message, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !subscription.Ended.IsCancellationRequested)
            {
                subscription.Drop();
                return false;
            }

            offset += length;
        }
        while (offset < json.Length);

        return true;
    }
}
