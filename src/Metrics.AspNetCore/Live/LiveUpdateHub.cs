using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Hosting;

namespace Metrics.AspNetCore;

/// <summary>
/// Drives every live client (SSE and WebSocket alike) at 1 Hz: each tick, a client that has taken its previous message
/// gets the points it has not seen yet, or none, so the message doubles as a heartbeat. Messages are serialized once
/// per tick for every client with the same query and the same last point, and a client's first message (its query's
/// window) once per tick for every client with the same query and window. At most a configured number of clients are
/// served at once. <c>metrics_live_clients</c>, <c>metrics_live_clients_dropped_total</c> and
/// <c>metrics_live_clients_rejected_total</c> on the registry show them.
/// </summary>
internal sealed class LiveUpdateHub : BackgroundService
{
    /// <summary>The time between two messages: 1 Hz.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    private readonly object _gate = new();
    private readonly MetricHistory _history;
    private readonly int _clientLimit;
    private readonly Counter _dropped;
    private readonly Counter _rejected;
    private LiveSubscription[] _subscribers = [];
    private long _serializedMessages;

    // This tick's serialized messages, keyed by query, kind and window or last point; replaced every tick, so it holds
    // at most one entry per distinct (query, last point) of the clients connected.
    private ConcurrentDictionary<(string Query, bool Window, long Position), Lazy<LiveMessage?>> _messages = new();

    public LiveUpdateHub(MetricHistory history, MetricRegistry registry, TimeProvider clock, int clientLimit, TimeSpan sendTimeout)
    {
        _history = history;
        Clock = clock;
        _clientLimit = clientLimit;
        SendTimeout = sendTimeout;
        registry.CreateCallbackGauge("metrics_live_clients", "Clients connected to the live metrics stream and WebSocket.", () => SubscriberCount);
        _dropped = registry.CreateCounter(
            "metrics_live_clients_dropped_total", "Live metrics clients disconnected because they read nothing: a write made no progress, or a WebSocket ping went unanswered.");
        _rejected = registry.CreateCounter(
            "metrics_live_clients_rejected_total", "Live metrics clients turned away with 503 because the most clients the server allows were connected.");
    }

    /// <summary>The clock of the ticks and of the clients' send deadlines: the one the history samples on.</summary>
    public TimeProvider Clock { get; }

    /// <summary>How long a client may make no progress before it is dropped.</summary>
    public TimeSpan SendTimeout { get; }

    public int SubscriberCount => Volatile.Read(ref _subscribers).Length;

    /// <summary>Messages serialized since start, whatever the number of clients that received each: what sharing saves shows here.</summary>
    public long SerializedMessages => Interlocked.Read(ref _serializedMessages);

    /// <summary>
    /// Subscribes a client, or returns null (counted) when the most clients allowed are connected. The client's first
    /// message, the query's window, comes from <see cref="WindowFor"/>.
    /// </summary>
    public LiveSubscription? TrySubscribe(HistoryQuery query, CancellationToken aborted)
    {
        var subscription = new LiveSubscription(this, query, aborted);
        lock (_gate)
        {
            if (_subscribers.Length >= _clientLimit)
            {
                _rejected.Inc();
                subscription.Dispose();
                return null;
            }

            _subscribers = [.. _subscribers, subscription];
        }

        return subscription;
    }

    /// <summary>The query's window as a <c>history</c> message, shared by every client that asks for it during this tick.</summary>
    /// <exception cref="ArgumentException">The query names an unknown family or label.</exception>
    public LiveMessage WindowFor(HistoryQuery query)
    {
        var key = (query.Key, true, query.Window?.Ticks ?? -1);
        var message = Volatile.Read(ref _messages).GetOrAdd(key, _ => new Lazy<LiveMessage?>(() => Serialize(HistoryDocuments.ReadWindow(_history, query), query, HistoryDocuments.HistoryType)));
        try
        {
            return message.Value!;
        }
        catch (ArgumentException)
        {
            // A failed read is not kept: the family may be registered by the next request.
            Volatile.Read(ref _messages).TryRemove(new KeyValuePair<(string, bool, long), Lazy<LiveMessage?>>(key, message));
            throw;
        }
    }

    /// <summary>
    /// The points after <paramref name="afterSequence"/> as an <c>update</c> message, shared by every client with the same
    /// query and last point during this tick; null when the query names a family that has since been unregistered
    /// (a disposed bridged meter, say), so its clients end and reconnect to ask anew.
    /// </summary>
    public LiveMessage? UpdateFor(HistoryQuery query, long afterSequence) =>
        Volatile.Read(ref _messages).GetOrAdd((query.Key, false, afterSequence), _ => new Lazy<LiveMessage?>(() => ReadUpdate(query, afterSequence))).Value;

    /// <summary>Starts a tick: this tick's messages are read afresh, and every client is told to take its update.</summary>
    public void Broadcast()
    {
        Volatile.Write(ref _messages, new ConcurrentDictionary<(string, bool, long), Lazy<LiveMessage?>>());
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            subscriber.Signal();
        }
    }

    public void CountDrop() => _dropped.Inc();

    public void Remove(LiveSubscription subscription)
    {
        lock (_gate)
        {
            var index = Array.IndexOf(_subscribers, subscription);
            if (index >= 0)
            {
                _subscribers = [.. _subscribers[..index], .. _subscribers[(index + 1)..]];
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, Clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Broadcast();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            subscriber.End();
        }
    }

    private LiveMessage Serialize(HistoryReading reading, HistoryQuery query, string type)
    {
        Interlocked.Increment(ref _serializedMessages);
        return new(JsonSerializer.SerializeToUtf8Bytes(HistoryDocuments.Create(reading, _history.Quantiles, query.SelectorTexts, type), MetricsJsonContext.Default.HistoryDocument), reading.LastSequence);
    }

    private LiveMessage? ReadUpdate(HistoryQuery query, long afterSequence)
    {
        try
        {
            return Serialize(_history.ReadSince(query.Selectors, afterSequence), query, HistoryDocuments.UpdateType);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
