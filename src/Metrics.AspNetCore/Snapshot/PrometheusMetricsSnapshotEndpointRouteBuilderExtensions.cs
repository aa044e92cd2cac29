using System.Diagnostics.CodeAnalysis;
using Metrics;
using Metrics.AspNetCore;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the JSON snapshot endpoint.</summary>
public static class PrometheusMetricsSnapshotEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps a JSON view of the registry in the service provider, for dashboards and fleet tools that do not speak
    /// Prometheus: every family with its type, help, label names and series; counters and gauges as numbers;
    /// histograms with count, sum, cumulative buckets and the estimated <see cref="PrometheusMetricsOptions.Quantiles"/>.
    /// Non-finite numbers (a gauge set to NaN, say) are written as <c>null</c>. <c>?family=name</c>, repeatable, keeps
    /// the named families; <c>?prefix=p</c> keeps families whose name starts with <c>p</c>. A query string longer than
    /// <see cref="PrometheusMetricsOptions.QueryLengthLimit"/> gets 414, other methods than <c>GET</c> 405, both with a
    /// JSON error.
    /// </summary>
    /// <param name="endpoints">The route builder, typically the <c>WebApplication</c>.</param>
    /// <param name="pattern">The route; <c>/metrics/snapshot</c> by default.</param>
    /// <returns>The endpoint's convention builder, for <c>.RequireAuthorization()</c>, <c>.RequireHost(…)</c> and the like.</returns>
    /// <exception cref="InvalidOperationException">No <see cref="MetricRegistry"/> is registered.</exception>
    public static IEndpointConventionBuilder MapPrometheusMetricsSnapshot(this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string pattern = "/metrics/snapshot")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        var options = services.GetService<IOptions<PrometheusMetricsOptions>>()?.Value ?? new PrometheusMetricsOptions();
        var endpoint = new SnapshotEndpoint(
            PrometheusMetricsServices.Resolve<MetricRegistry>(services, nameof(MapPrometheusMetricsSnapshot)), options.QuantilesOrDefault, options.QueryLengthLimit);
        return endpoints.Map(pattern, EndpointErrors.AllowingOnly([HttpMethods.Get], endpoint.HandleAsync))
            .WithDisplayName("Metrics snapshot");
    }
}
