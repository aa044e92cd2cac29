using Metrics;

namespace Gateway.Endpoints;

/// <summary>
/// <c>GET /metrics</c>: the registry in the format the <c>Accept</c> header negotiates (Prometheus text 0.0.4 or
/// OpenMetrics 1.0.0), with that format's exact <c>Content-Type</c>, rendered straight into the response pipe.
/// </summary>
internal static class MetricsEndpoint
{
    /// <summary>Maps the scrape endpoint at <paramref name="pattern"/>.</summary>
    public static IEndpointConventionBuilder MapMetricsEndpoint(this IEndpointRouteBuilder endpoints, string pattern) =>
        endpoints.MapGet(pattern, (RequestDelegate)WriteAsync);

    private static async Task WriteAsync(HttpContext context)
    {
        var registry = context.RequestServices.GetRequiredService<MetricRegistry>();
        var format = ExpositionNegotiation.Choose(context.Request.Headers.Accept.ToString());
        context.Response.ContentType = MetricsExposition.ContentTypeOf(format);
        context.Response.Headers.CacheControl = "no-store";
        MetricsExposition.Write(registry, format, context.Response.BodyWriter);
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }
}
