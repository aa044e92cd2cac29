using Microsoft.AspNetCore.Connections;

namespace Metrics.AspNetCore;

/// <summary>Keeps the open and accepted connection counts of the Kestrel endpoints it is attached to.</summary>
internal sealed class HttpConnectionMetrics
{
    private readonly Gauge _active;
    private readonly Counter _total;

    public HttpConnectionMetrics(MetricRegistry registry, PrometheusMetricsOptions options)
    {
        _active = registry.CreateGauge(options.Prefix + "http_connections_active", "Connections open now on the Kestrel endpoints that track them.");
        _total = registry.CreateCounter(options.Prefix + "http_connections_total", "Connections accepted by the Kestrel endpoints that track them.");
    }

    /// <summary>Runs the rest of the connection pipeline, counted as active until the connection closes.</summary>
    public async Task TrackAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        _total.Inc();
        using (_active.Track())
        {
            await next(connection).ConfigureAwait(false);
        }
    }
}
