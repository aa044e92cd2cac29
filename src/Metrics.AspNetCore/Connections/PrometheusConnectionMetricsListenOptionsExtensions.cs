using Metrics.AspNetCore;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

// Kestrel's own ListenOptions extensions (UseHttps, UseConnectionLogging) live here, so this one is found beside them.
namespace Microsoft.AspNetCore.Hosting;

/// <summary>Adds connection metrics to a Kestrel endpoint.</summary>
public static class PrometheusConnectionMetricsListenOptionsExtensions
{
    /// <summary>
    /// Counts the endpoint's connections: <c>http_connections_active</c> (a gauge of open connections) and
    /// <c>http_connections_total</c> (a counter of accepted ones), both with the configured prefix, in the registry
    /// that <c>AddPrometheusMetrics</c> registered. A keep-alive connection counts as active until it closes, however
    /// many requests it carries. For every endpoint at once, call it from
    /// <c>ConfigureKestrel(kestrel =&gt; kestrel.ConfigureEndpointDefaults(listen =&gt; listen.UsePrometheusConnectionMetrics()))</c>.
    /// </summary>
    /// <remarks>It applies to TCP connections (HTTP/1.1 and HTTP/2); Kestrel does not run connection middleware for HTTP/3.</remarks>
    /// <exception cref="InvalidOperationException">When the server starts, if <c>AddPrometheusMetrics</c> was not called.</exception>
    public static ListenOptions UsePrometheusConnectionMetrics(this ListenOptions listenOptions)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        // Resolved when Kestrel builds the connection pipeline at startup, once the service provider exists.
        listenOptions.Use(next =>
        {
            var metrics = PrometheusMetricsServices.Resolve<HttpConnectionMetrics>(listenOptions.ApplicationServices, nameof(UsePrometheusConnectionMetrics));
            return connection => metrics.TrackAsync(connection, next);
        });
        return listenOptions;
    }
}
