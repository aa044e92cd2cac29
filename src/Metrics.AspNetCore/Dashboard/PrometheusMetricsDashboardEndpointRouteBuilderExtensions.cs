using System.Diagnostics.CodeAnalysis;
using Metrics;
using Metrics.AspNetCore;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the live dashboard page.</summary>
public static class PrometheusMetricsDashboardEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps a self-contained dashboard page (no CDN, no external fonts; inline SVG charts; light and dark) that follows
    /// <c>MapPrometheusMetricsStream</c> live and reconnects with exponential backoff. By default it shows request and
    /// error rates, latency quantiles and a resource grid (CPU, memory, GC, thread pool, connections); an application
    /// adds panels over its own families (sparkline tables, state badges, heat maps) through
    /// <see cref="PrometheusMetricsDashboardOptions.Panels"/>. Panels whose families the registry lacks are hidden.
    /// Map the stream too, and protect both alike.
    /// </summary>
    /// <param name="endpoints">The route builder, typically the <c>WebApplication</c>.</param>
    /// <param name="pattern">The route; <c>/dashboard</c> by default.</param>
    /// <param name="configure">Sets the title, the stream's path, the window and the panels.</param>
    /// <returns>The endpoint's convention builder, for <c>.RequireAuthorization()</c>, <c>.RequireHost(…)</c> and the like.</returns>
    /// <exception cref="InvalidOperationException">The services of <c>AddPrometheusMetrics</c> are missing.</exception>
    public static IEndpointConventionBuilder MapPrometheusMetricsDashboard(
        this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string pattern = "/dashboard", Action<PrometheusMetricsDashboardOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        var options = new PrometheusMetricsDashboardOptions();
        configure?.Invoke(options);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Window, TimeSpan.Zero, nameof(configure));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SparklinePoints, 2, nameof(configure));
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var panel in options.Panels)
        {
            if (!ids.Add(panel.Id))
            {
                throw new ArgumentException($"Two dashboard panels have the id '{panel.Id}': each panel needs its own.", nameof(configure));
            }
        }

        var adapterOptions = services.GetService<IOptions<PrometheusMetricsOptions>>()?.Value ?? new PrometheusMetricsOptions();
        var endpoint = new DashboardEndpoint(PrometheusMetricsServices.Resolve<MetricRegistry>(services, nameof(MapPrometheusMetricsDashboard)), options, adapterOptions);
        return endpoints.MapMethods(pattern, [HttpMethods.Get, HttpMethods.Head], endpoint.HandleAsync).WithDisplayName("Metrics dashboard");
    }
}
