using System.Threading.Channels;

namespace Metrics.AspNetCore;

/// <summary>
/// One live client of the <see cref="LiveUpdateHub"/>: its query, the last point it was sent, a signal that a new
/// tick is due, and a token that ends its connection when the client goes, closes, or is dropped. It queues nothing:
/// a client still busy with one message when ticks pass gets one update covering every point since, so a slow
/// client never holds more than the message in hand. Disposing it removes it from the hub.
/// </summary>
internal sealed class LiveSubscription : IDisposable
{
    private const int Live = 0;
    private const int Over = 1;

    private readonly LiveUpdateHub _hub;
    private readonly CancellationTokenSource _ended;
    private readonly object _gate = new();

    // At most one pending tick: ticks that pass while the client is busy fold into the one it takes next.
    private readonly Channel<bool> _ticks = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
        SingleWriter = true,
    });

    private int _state;
    private bool _closedByServer;
    private bool _disposed;

    public LiveSubscription(LiveUpdateHub hub, HistoryQuery query, CancellationToken aborted)
    {
        _hub = hub;
        Query = query;
        _ended = CancellationTokenSource.CreateLinkedTokenSource(aborted);
    }

    public HistoryQuery Query { get; }

    /// <summary>The last point sent to the client; the next update starts after it.</summary>
    public long SentThrough { get; set; } = -1;

    /// <summary>Cancelled when the client disconnects, closes, or is dropped, and when the host stops.</summary>
    public CancellationToken Ended => _ended.Token;

    /// <summary>
    /// Set when the server ends a connection that was still up, so that the transport's report of that abort is not
    /// taken for anything the client did.
    /// </summary>
    public bool ClosedByServer
    {
        get => Volatile.Read(ref _closedByServer);
        set => Volatile.Write(ref _closedByServer, value);
    }

    /// <summary>Whether the client was dropped for reading nothing.</summary>
    public bool WasDropped { get; private set; }

    /// <summary>Tells the client's writer that a tick is due; a tick already pending absorbs it.</summary>
    public void Signal() => _ticks.Writer.TryWrite(true);

    /// <summary>Waits for the next tick; throws <see cref="OperationCanceledException"/> once the subscription has ended.</summary>
    public async ValueTask WaitForTickAsync() => await _ticks.Reader.ReadAsync(Ended).ConfigureAwait(false);

    /// <summary>Ends a client that reads nothing, counted once in <c>metrics_live_clients_dropped_total</c>; its connection is to be aborted.</summary>
    public void Drop()
    {
        if (Interlocked.CompareExchange(ref _state, Over, Live) != Live)
        {
            return;
        }

        WasDropped = true;
        _hub.CountDrop();
        Cancel();
    }

    /// <summary>Ends the subscription, as when the client closed its side or the host stops.</summary>
    public void End()
    {
        Interlocked.CompareExchange(ref _state, Over, Live);
        Cancel();
    }

    public void Dispose()
    {
        Interlocked.Exchange(ref _state, Over);
        _hub.Remove(this);
        lock (_gate)
        {
            _disposed = true;
            _ended.Dispose();
        }
    }

    private void Cancel()
    {
        _hub.Remove(this);
        lock (_gate)
        {
            if (!_disposed)
            {
                _ended.Cancel();
            }
        }
    }
}
