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

/// <summary>Maps the Prometheus scrape endpoint.</summary>
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
}
