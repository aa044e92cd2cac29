using System.Diagnostics.CodeAnalysis;
using Metrics;
using Metrics.AspNetCore;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the metrics endpoints. Both return their convention builder, so they can be protected the ASP.NET way.</summary>
public static class PrometheusMetricsEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the Prometheus scrape endpoint for the registry in the service provider. It answers <c>GET</c> and
    /// <c>HEAD</c> (other methods get 405 with <c>Allow</c> and a JSON error); chooses Prometheus text 0.0.4 or
    /// OpenMetrics 1.0.0 from <c>Accept</c>; gzips when <c>Accept-Encoding</c> allows it; and sends
    /// <c>Cache-Control: no-store</c>. Scrapes that arrive while a collection of the same format and encoding runs wait
    /// for it and send its bytes, and collections start at most once per
    /// <see cref="PrometheusMetricsOptions.ScrapeMinimumInterval"/> (see <see cref="ScrapeCache"/>), so a flood of scrapers
    /// costs one collection per interval. A failing collection callback leaves its series out and is
    /// counted in <c>metrics_scrape_errors_total</c>, while the scrape still succeeds; a failure of the rendering itself
    /// gives every waiting scraper a 500 with a JSON error. The endpoint's own requests are never recorded by the
    /// request metrics.
    /// </summary>
    /// <param name="endpoints">The route builder, typically the <c>WebApplication</c>.</param>
    /// <param name="pattern">The route; <c>/metrics</c> by default.</param>
    /// <returns>The endpoint's convention builder, for <c>.RequireAuthorization()</c>, <c>.RequireHost(…)</c> and the like.</returns>
    /// <exception cref="InvalidOperationException">No <see cref="MetricRegistry"/> is registered.</exception>
    public static IEndpointConventionBuilder MapPrometheusMetrics(this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string pattern = "/metrics")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger("Metrics.AspNetCore.MetricsEndpoint") ?? NullLogger.Instance;
        var registry = PrometheusMetricsServices.Resolve<MetricRegistry>(services, nameof(MapPrometheusMetrics));
        var cache = services.GetService<ScrapeCache>()
            ?? new ScrapeCache(registry, (services.GetService<IOptions<PrometheusMetricsOptions>>()?.Value ?? new PrometheusMetricsOptions()).ToScrapeCacheOptions());
        var endpoint = new MetricsEndpoint(cache, logger);
        return endpoints.Map(pattern, EndpointErrors.AllowingOnly(MetricsEndpoint.Methods, endpoint.HandleAsync))
            .WithDisplayName("Prometheus metrics")
            .WithMetadata(RequestMetricsExclusion.Instance);
    }

    /// <summary>
    /// Maps a JSON view of the registry in the service provider, for dashboards and fleet tools that do not speak
    /// Prometheus: every family with its type, help, label names and series; counters and gauges as numbers;
    /// histograms with count, sum, cumulative buckets and estimated p50, p90 and p99. <c>?family=name</c>, repeatable,
    /// keeps the named families; <c>?prefix=p</c> keeps families whose name starts with <c>p</c>. A query string longer
    /// than <see cref="PrometheusMetricsOptions.QueryLengthLimit"/> gets 414, other methods than <c>GET</c> 405, both
    /// with a JSON error.
    /// </summary>
    /// <param name="endpoints">The route builder, typically the <c>WebApplication</c>.</param>
    /// <param name="pattern">The route; <c>/v1/usage</c> by default.</param>
    /// <returns>The endpoint's convention builder, for <c>.RequireAuthorization()</c>, <c>.RequireHost(…)</c> and the like.</returns>
    /// <exception cref="InvalidOperationException">No <see cref="MetricRegistry"/> is registered.</exception>
    public static IEndpointConventionBuilder MapMetricsUsage(this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string pattern = "/v1/usage")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        var options = services.GetService<IOptions<PrometheusMetricsOptions>>()?.Value ?? new PrometheusMetricsOptions();
        var endpoint = new UsageEndpoint(PrometheusMetricsServices.Resolve<MetricRegistry>(services, nameof(MapMetricsUsage)), options.QueryLengthLimit);
        return endpoints.Map(pattern, EndpointErrors.AllowingOnly([HttpMethods.Get], endpoint.HandleAsync))
            .WithDisplayName("Metrics usage");
    }
}
