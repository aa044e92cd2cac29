using System.Diagnostics.CodeAnalysis;
using Metrics;
using Metrics.AspNetCore;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the live dashboard page.</summary>
public static class MetricsDashboardEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps a self-contained dashboard page (no CDN, no external fonts; inline SVG charts; light and dark) that follows
    /// <c>MapMetricsUsageStream</c> live and reconnects with exponential backoff: request and error rates, latency
    /// p50/p95/p99, per-provider tokens per second and latency, circuit states, a resource grid (CPU, memory, GC,
    /// thread pool, connections) and a model × provider routing heat map. Panels whose families the registry lacks are
    /// hidden; see <see cref="MetricsDashboardOptions"/>. Map the stream too, and protect both alike.
    /// </summary>
    /// <param name="endpoints">The route builder, typically the <c>WebApplication</c>.</param>
    /// <param name="pattern">The route; <c>/dashboard</c> by default.</param>
    /// <param name="configure">Sets the title, window, and the families of the provider, circuit and routing panels.</param>
    /// <returns>The endpoint's convention builder, for <c>.RequireAuthorization()</c>, <c>.RequireHost(…)</c> and the like.</returns>
    /// <exception cref="InvalidOperationException">The services of <c>AddPrometheusMetrics</c> are missing.</exception>
    public static IEndpointConventionBuilder MapMetricsDashboard(
        this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string pattern = "/dashboard", Action<MetricsDashboardOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        var options = new MetricsDashboardOptions();
        configure?.Invoke(options);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Window, TimeSpan.Zero, nameof(configure));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SparklinePoints, 2, nameof(configure));
        var prefix = services.GetService<IOptions<PrometheusMetricsOptions>>()?.Value.Prefix ?? "";
        var endpoint = new DashboardEndpoint(PrometheusMetricsServices.Resolve<MetricRegistry>(services, nameof(MapMetricsDashboard)), options, prefix);
        return endpoints.MapMethods(pattern, [HttpMethods.Get, HttpMethods.Head], endpoint.HandleAsync).WithDisplayName("Metrics dashboard");
    }
}
