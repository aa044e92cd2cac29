using System.Diagnostics.CodeAnalysis;
using Metrics;
using Metrics.AspNetCore;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// Maps the history and live endpoints, which need <c>AddPrometheusMetricsHistory</c>. Each returns its convention
/// builder, so they can be protected like <c>/metrics</c>.
/// </summary>
/// <remarks>
/// All three take the same query. <c>family</c>, repeatable, selects a family by its exposed name: <c>name</c> for each
/// series, <c>name[label,…]</c> to sum the series by those labels (as PromQL's <c>sum by</c>, before quantiles are
/// estimated), <c>name[]</c> to sum them all; without it, every family. <c>window</c> is how far back to read, in
/// seconds or with a unit (<c>90</c>, <c>30s</c>, <c>5m</c>, <c>1h</c>); without it, every point held. A malformed
/// window, an unknown family or an unknown label gets a 400 with a JSON body <c>{"error":"invalid_query","message":…}</c>.
/// Identical selectors are merged, so an answer costs what one copy of each distinct selector does; more than
/// <see cref="PrometheusMetricsOptions.QuerySelectorLimit"/> distinct selectors get a 400, a query string longer than
/// <see cref="PrometheusMetricsOptions.QueryLengthLimit"/> a 414, and other methods than <c>GET</c> a 405, each with a
/// JSON error.
/// </remarks>
public static class PrometheusMetricsLiveEndpointRouteBuilderExtensions
{
    private const string HistoryRegistration = nameof(PrometheusMetricsServiceCollectionExtensions.AddPrometheusMetricsHistory);

    /// <summary>
    /// Maps a JSON window of the sampler's points: shared <c>timestamps</c>, and per family and series the per-point
    /// <c>rate</c> (counters, histograms, summaries; per second, reset-aware), <c>value</c> (gauges), <c>quantiles</c>
    /// (histograms: each of <see cref="PrometheusMetricsOptions.Quantiles"/> over each interval) and <c>average</c>
    /// (histograms and summaries), and the window's <c>increase</c>. Unknown points, like every non-finite number, are
    /// <c>null</c>.
    /// </summary>
    /// <param name="endpoints">The route builder, typically the <c>WebApplication</c>.</param>
    /// <param name="pattern">The route; <c>/metrics/history</c> by default.</param>
    /// <returns>The endpoint's convention builder, for <c>.RequireAuthorization()</c>, <c>.RequireHost(…)</c> and the like.</returns>
    /// <exception cref="InvalidOperationException">The services of <c>AddPrometheusMetrics</c> or <c>AddPrometheusMetricsHistory</c> are missing.</exception>
    public static IEndpointConventionBuilder MapPrometheusMetricsHistory(this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string pattern = "/metrics/history")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        var endpoint = new HistoryEndpoint(
            PrometheusMetricsServices.Resolve<MetricRegistry>(services, nameof(MapPrometheusMetricsHistory)),
            PrometheusMetricsServices.Resolve<MetricHistory>(services, nameof(MapPrometheusMetricsHistory), HistoryRegistration),
            OptionsOf(services));
        return endpoints.Map(pattern, EndpointErrors.AllowingOnly([HttpMethods.Get], endpoint.HandleAsync)).WithDisplayName("Metrics history");
    }

    /// <summary>
    /// Maps a Server-Sent Events stream of the same documents: first the query's window (<c>"type":"history"</c>), then
    /// once a second the points added since (<c>"type":"update"</c>, with no point when none was taken). Each event's
    /// <c>id</c> is the last point's sequence number. Clients with the same query share each serialized message; at most
    /// <see cref="PrometheusMetricsOptions.LiveClientLimit"/> stream and WebSocket clients are served at once (the next
    /// gets a 503). A client that falls behind gets one update covering every point since, so it never holds more than
    /// the message in hand; one that takes nothing for <see cref="PrometheusMetricsOptions.LiveSendTimeout"/> is dropped.
    /// A disconnect frees its subscription. Its requests are not recorded by the request metrics.
    /// </summary>
    /// <param name="endpoints">The route builder, typically the <c>WebApplication</c>.</param>
    /// <param name="pattern">The route; <c>/metrics/stream</c> by default.</param>
    /// <returns>The endpoint's convention builder.</returns>
    /// <exception cref="InvalidOperationException">The services of <c>AddPrometheusMetrics</c> or <c>AddPrometheusMetricsHistory</c> are missing.</exception>
    public static IEndpointConventionBuilder MapPrometheusMetricsStream(this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string pattern = "/metrics/stream")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        var endpoint = new LiveStreamEndpoint(LiveRequestsOf(services, nameof(MapPrometheusMetricsStream)));
        return endpoints.Map(pattern, EndpointErrors.AllowingOnly([HttpMethods.Get], endpoint.HandleAsync))
            .WithDisplayName("Metrics stream")
            .WithMetadata(RequestMetricsExclusion.Instance);
    }

    /// <summary>
    /// Maps a WebSocket that pushes the same messages as <see cref="MapPrometheusMetricsStream"/>, one text message a second;
    /// the client only closes it. WebSocket support comes with the endpoint: no <c>UseWebSockets</c> is needed. A
    /// request that is not a WebSocket upgrade gets a 400; one from a page of another origin than the server's own and
    /// <see cref="PrometheusMetricsOptions.LiveAllowedOrigins"/> a 403. The server pings the client every
    /// <see cref="PrometheusMetricsOptions.LiveSendTimeout"/> and drops one that does not answer in as long (on .NET 9
    /// and later), as it does one that takes nothing for that long.
    /// </summary>
    /// <param name="endpoints">The route builder, typically the <c>WebApplication</c>.</param>
    /// <param name="pattern">The route; <c>/metrics/ws</c> by default.</param>
    /// <returns>The endpoint's convention builder.</returns>
    /// <exception cref="InvalidOperationException">The services of <c>AddPrometheusMetrics</c> or <c>AddPrometheusMetricsHistory</c> are missing.</exception>
    public static IEndpointConventionBuilder MapPrometheusMetricsWebSocket(this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string pattern = "/metrics/ws")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        var endpoint = new LiveWebSocketEndpoint(
            LiveRequestsOf(services, nameof(MapPrometheusMetricsWebSocket)), new LiveOrigins(OptionsOf(services).LiveAllowedOrigins));
        var pipeline = endpoints.CreateApplicationBuilder();
        pipeline.UseWebSockets();
        pipeline.Run(endpoint.HandleAsync);
        return endpoints.Map(pattern, pipeline.Build())
            .WithDisplayName("Metrics WebSocket")
            .WithMetadata(RequestMetricsExclusion.Instance);
    }

    private static PrometheusMetricsOptions OptionsOf(IServiceProvider services) =>
        services.GetService<IOptions<PrometheusMetricsOptions>>()?.Value ?? new PrometheusMetricsOptions();

    private static LiveRequests LiveRequestsOf(IServiceProvider services, string caller) => new(
        PrometheusMetricsServices.Resolve<MetricRegistry>(services, caller),
        PrometheusMetricsServices.Resolve<LiveUpdateHub>(services, caller, HistoryRegistration),
        OptionsOf(services));
}
