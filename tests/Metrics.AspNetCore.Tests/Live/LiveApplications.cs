using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Metrics.AspNetCore.Tests.Live;

/// <summary>Starts applications that serve the live endpoints on Kestrel, the only server with real sockets to be slow on.</summary>
internal static class LiveApplications
{
    /// <summary>
    /// An application with <c>AddPrometheusMetrics</c> (default collectors off), a history that samples every second on
    /// <paramref name="clock"/> (real time when null), the stream and WebSocket endpoints and whatever
    /// <paramref name="map"/> adds; <paramref name="configure"/> sets the adapter's options.
    /// </summary>
    public static Task<WebApplication> StartAsync(TimeProvider? clock = null, Action<PrometheusMetricsOptions>? configure = null, Action<WebApplication>? map = null) =>
        TestApplications.StartOnKestrelAsync(
            app =>
            {
                app.MapPrometheusMetricsStream();
                app.MapPrometheusMetricsWebSocket();
                map?.Invoke(app);
            },
            static kestrel => kestrel.Listen(IPAddress.Loopback, 0),
            addMetrics: true,
            builder =>
            {
                builder.Services.Configure<PrometheusMetricsOptions>(options => configure?.Invoke(options));
                builder.Services.AddPrometheusMetricsHistory(options =>
                {
                    options.Interval = TimeSpan.FromSeconds(1);
                    options.TimeProvider = clock ?? TimeProvider.System;
                });
            });
}
