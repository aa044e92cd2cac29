using System.Threading.Channels;

namespace Metrics.AspNetCore;

/// <summary>
/// One live client of the <see cref="LiveUpdateHub"/>: a bounded queue of messages it has yet to send, and a token that
/// ends its connection when the client goes, closes, or falls behind. Disposing it removes it from the hub.
/// </summary>
internal sealed class LiveSubscription : IDisposable
{
    private readonly LiveUpdateHub _hub;
    private readonly Channel<LiveMessage> _messages;
    private readonly CancellationTokenSource _ended;
    private readonly object _gate = new();
    private bool _disposed;

    public LiveSubscription(LiveUpdateHub hub, HistoryQuery query, int bufferCapacity, CancellationToken aborted)
    {
        _hub = hub;
        Query = query;
        // Wait mode makes TryWrite fail when full instead of discarding, so a full queue is noticed and the client dropped.
        _messages = Channel.CreateBounded<LiveMessage>(new BoundedChannelOptions(bufferCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = true,
        });
        _ended = CancellationTokenSource.CreateLinkedTokenSource(aborted);
    }

    public HistoryQuery Query { get; }

    /// <summary>The last point queued for the client; the hub's next message starts after it.</summary>
    public long LastSequence { get; private set; } = -1;

    /// <summary>Cancelled when the client disconnects, closes, or is dropped.</summary>
    public CancellationToken Ended => _ended.Token;

    /// <summary>Whether the hub dropped the client because its queue was full.</summary>
    public bool WasDropped { get; private set; }

    public ChannelReader<LiveMessage> Messages => _messages.Reader;

    /// <summary>Queues <paramref name="message"/>; false when the queue is full.</summary>
    public bool TryPublish(LiveMessage message)
    {
        if (!_messages.Writer.TryWrite(message))
        {
            return false;
        }

        LastSequence = message.LastSequence;
        return true;
    }

    /// <summary>Ends a client that fell behind: its queued messages are discarded and its connection is to be aborted.</summary>
    public void Drop()
    {
        WasDropped = true;
        End();
    }

    /// <summary>Ends the subscription, as when the client closed its side.</summary>
    public void End()
    {
        _messages.Writer.TryComplete();
        lock (_gate)
        {
            if (!_disposed)
            {
                _ended.Cancel();
            }
        }

        _hub.Remove(this);
    }

    public void Dispose()
    {
        _hub.Remove(this);
        _messages.Writer.TryComplete();
        lock (_gate)
        {
            _disposed = true;
            _ended.Dispose();
        }
    }
}
