using System.Text.Json;
using Microsoft.Extensions.Hosting;

namespace Metrics.AspNetCore;

/// <summary>
/// Pushes one <see cref="HistoryDocument"/> a second to every live client (SSE and WebSocket alike): the points the
/// client has not seen yet, or none, so the message doubles as a heartbeat. Clients that ask for the same families
/// and have seen the same points share one serialized message. A client whose bounded queue is full is dropped, so a
/// slow or dead client never grows memory. <c>metrics_live_clients</c> and <c>metrics_live_clients_dropped_total</c> on
/// the registry show both.
/// </summary>
internal sealed class LiveUpdateHub : BackgroundService
{
    /// <summary>How many messages a client may have queued before it is dropped: 8 seconds of falling behind.</summary>
    public const int DefaultClientBufferCapacity = 8;

    /// <summary>The time between two messages: 1 Hz.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    private readonly object _gate = new();
    private readonly MetricHistory _history;
    private readonly TimeProvider _clock;
    private readonly int _clientBufferCapacity;
    private readonly Counter _dropped;
    private LiveSubscription[] _subscribers = [];

    public LiveUpdateHub(MetricHistory history, MetricRegistry registry, TimeProvider clock, int clientBufferCapacity = DefaultClientBufferCapacity)
    {
        _history = history;
        _clock = clock;
        _clientBufferCapacity = clientBufferCapacity;
        registry.CreateCallbackGauge("metrics_live_clients", "Clients connected to the live metrics stream and WebSocket.", () => SubscriberCount);
        _dropped = registry.CreateCounter(
            "metrics_live_clients_dropped_total", $"Live metrics clients disconnected because they fell {clientBufferCapacity} messages behind.");
    }

    public int SubscriberCount => Volatile.Read(ref _subscribers).Length;

    /// <summary>
    /// Subscribes a client and queues its first message: the query's whole window.
    /// </summary>
    /// <exception cref="ArgumentException">The query names an unknown family or label.</exception>
    public LiveSubscription Subscribe(HistoryQuery query, CancellationToken aborted)
    {
        var reading = HistoryDocuments.ReadWindow(_history, query);
        var subscription = new LiveSubscription(this, query, _clientBufferCapacity, aborted);
        subscription.TryPublish(Serialize(reading, query, HistoryDocuments.HistoryType));
        lock (_gate)
        {
            _subscribers = [.. _subscribers, subscription];
        }

        return subscription;
    }

    /// <summary>
    /// Sends every client the points it has not seen; drops those whose queue is full, and ends those whose query
    /// names a family that has since been unregistered (a disposed bridged meter, say), so they reconnect and ask anew.
    /// </summary>
    public void Broadcast()
    {
        var shared = new Dictionary<(string Selectors, long After), LiveMessage?>();
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            var key = (subscriber.Query.SelectorKey, subscriber.LastSequence);
            if (!shared.TryGetValue(key, out var message))
            {
                message = ReadUpdate(subscriber.Query, subscriber.LastSequence);
                shared.Add(key, message);
            }

            if (message is null)
            {
                subscriber.End();
            }
            else if (!subscriber.TryPublish(message.Value))
            {
                subscriber.Drop();
                _dropped.Inc();
            }
        }
    }

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
        using var timer = new PeriodicTimer(Period, _clock);
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

    private static LiveMessage Serialize(HistoryReading reading, HistoryQuery query, string type) =>
        new(JsonSerializer.SerializeToUtf8Bytes(HistoryDocuments.Create(reading, query.SelectorTexts, type), LiveJsonContext.Default.HistoryDocument), reading.LastSequence);
}
