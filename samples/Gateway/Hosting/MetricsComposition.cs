using Gateway.Configuration;
using Microsoft.AspNetCore.Hosting;

namespace Gateway.Hosting;

/// <summary>
/// The one place where the gateway plugs Metrics.AspNetCore into ASP.NET Core: the registry and request metrics in
/// the container, Kestrel connection metrics, and the middleware and endpoints at the front of the pipeline.
/// Everything else in the gateway only records into the registry. With <see cref="GatewayOptions.MetricsEnabled"/>
/// off, the registry still exists (so the code that records needs no branches) but nothing is served, and request
/// and connection metrics are not installed.
/// </summary>
internal static class MetricsComposition
{
    /// <summary>The configuration section that binds the adapter's options (prefix, buckets, excluded paths, …).</summary>
    public const string SectionName = "PrometheusMetrics";

    /// <summary>Registers the registry the whole gateway records into, the adapter's options, and connection metrics.</summary>
    public static void AddMetrics(WebApplicationBuilder builder, GatewayOptions options)
    {
        builder.Services.AddPrometheusMetrics(builder.Configuration.GetSection(SectionName));
        if (options.MetricsEnabled)
        {
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.UsePrometheusConnectionMetrics()));
        }
    }

    /// <summary>
    /// Adds request metrics and the <c>/metrics</c> and <c>/v1/usage</c> endpoints. It runs right after routing: the
    /// matched endpoint is known on entry, so the scrape itself never shows in <c>http_requests_in_flight</c>, and every
    /// request that authentication and rate limiting turn away is still recorded.
    /// </summary>
    public static void UseMetrics(WebApplication app, GatewayOptions options)
    {
        if (!options.MetricsEnabled)
        {
            return;
        }

        app.UsePrometheusRequestMetrics();
        app.MapPrometheusMetrics("/metrics");
        app.MapMetricsUsage("/v1/usage");
    }
}
