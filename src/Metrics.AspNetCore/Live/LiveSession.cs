namespace Metrics.AspNetCore;

/// <summary>Writes one chunk of a message to a live client; the first and last chunks carry the transport's framing.</summary>
internal delegate ValueTask LiveChunkWriter(ReadOnlyMemory<byte> chunk, bool isFirst, bool isLast, LiveMessage message, CancellationToken cancellationToken);

/// <summary>Writes <paramref name="bytes"/> bytes between messages that the client's reader ignores, such as an SSE comment.</summary>
internal delegate ValueTask LivePaddingWriter(int bytes, CancellationToken cancellationToken);

/// <summary>
/// The life of one live client, the same over SSE and WebSocket: its first message, then at each tick the update since
/// the last point it was sent. Messages go out in chunks, each handed over only when the connection has room for it
/// (<see cref="LiveConnection"/>) and written within the send timeout; a client that gives no sign of reading for that
/// long while it has no room is dropped. Where the transport can pad, a client whose window has shown no sign of
/// reading for the send timeout is padded until it must (<see cref="LiveConnection.ProofOverdue"/>).
/// </summary>
internal static class LiveSession
{
    /// <summary>The most bytes handed to the connection at once, so a client that stops reading mid-message pins little.</summary>
    public const int ChunkBytes = 8 * 1024;

    /// <summary>
    /// The most padding sent to find out whether a client reads. A client whose window is so large that this cannot
    /// shrink it is given the benefit of the doubt for another send timeout; on Linux's default buffers, under a third
    /// of this suffices.
    /// </summary>
    public const int ProbeBytesLimit = 256 * 1024;

    /// <summary>Runs until the client goes, is dropped (<see cref="LiveSubscription.WasDropped"/>), or its query can no longer be read.</summary>
    /// <exception cref="OperationCanceledException">The subscription ended.</exception>
    public static async Task RunAsync(
        LiveUpdateHub hub, LiveSubscription subscription, LiveMessage first, LiveConnection connection, LiveChunkWriter write, LivePaddingWriter? pad = null)
    {
        var message = first;
        while (await ProveReadingAsync(hub, subscription, connection, pad).ConfigureAwait(false)
            && await SendAsync(hub, subscription, connection, message, write).ConfigureAwait(false))
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

        subscription.Drop();
    }

    private static async Task<bool> SendAsync(LiveUpdateHub hub, LiveSubscription subscription, LiveConnection connection, LiveMessage message, LiveChunkWriter write)
    {
        var json = message.Json;
        var offset = 0;
        do
        {
            var length = Math.Min(ChunkBytes, json.Length - offset);
            if (!await connection.WaitForRoomAsync(subscription.Ended).ConfigureAwait(false))
            {
                return false;
            }

            connection.Sending(length);
            var chunk = (Json: json.AsMemory(offset, length), IsFirst: offset == 0, IsLast: offset + length == json.Length, Message: message, Write: write);
            if (!await WriteWithinTimeoutAsync(hub, subscription, chunk, static (chunk, cancellationToken) =>
                chunk.Write(chunk.Json, chunk.IsFirst, chunk.IsLast, chunk.Message, cancellationToken)).ConfigureAwait(false))
            {
                return false;
            }

            offset += length;
        }
        while (offset < json.Length);

        return true;
    }

    // Pads a client that has shown no sign of reading for the send timeout until its window shrinks to where it must
    // show one, then waits for it: a client that reads reopens the window, one that does not is to be dropped.
    private static async Task<bool> ProveReadingAsync(LiveUpdateHub hub, LiveSubscription subscription, LiveConnection connection, LivePaddingWriter? pad)
    {
        if (pad is null)
        {
            return true;
        }

        var padded = 0;
        while (connection.ProofOverdue)
        {
            if (padded >= ProbeBytesLimit)
            {
                connection.PostponeProof();
                return true;
            }

            if (!await connection.WaitForRoomAsync(subscription.Ended).ConfigureAwait(false))
            {
                return false;
            }

            if (!connection.ProofOverdue)
            {
                return true;
            }

            connection.Sending(ChunkBytes);
            if (!await WriteWithinTimeoutAsync(hub, subscription, pad, static (pad, cancellationToken) => pad(ChunkBytes, cancellationToken)).ConfigureAwait(false))
            {
                return false;
            }

            padded += ChunkBytes;
        }

        return true;
    }

    // False when the write made no progress within the send timeout; throws when the subscription ended meanwhile.
    private static async Task<bool> WriteWithinTimeoutAsync<TState>(
        LiveUpdateHub hub, LiveSubscription subscription, TState state, Func<TState, CancellationToken, ValueTask> write)
    {
        using var deadline = new CancellationTokenSource(hub.SendTimeout, hub.Clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(subscription.Ended, deadline.Token);
        try
        {
            await write(state, linked.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !subscription.Ended.IsCancellationRequested)
        {
            return false;
        }
    }
}
