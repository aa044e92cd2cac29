using Metrics.AspNetCore;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds the request metrics middleware.</summary>
public static class PrometheusRequestMetricsApplicationBuilderExtensions
{
    /// <summary>
    /// Records every request that reaches this point of the pipeline: <c>http_requests_total</c> and
    /// <c>http_request_duration_seconds</c> by <c>route</c>, <c>method</c> and <c>status</c>,
    /// <c>http_requests_in_flight</c>, and <c>http_request_body_bytes_total</c> and
    /// <c>http_response_body_bytes_total</c> by <c>route</c>, all with the configured prefix. The metrics endpoint,
    /// the configured excluded paths and, on .NET 9 and later, endpoints marked <c>.DisableHttpMetrics()</c> are left
    /// out. Add it early, so that it sees the status other middleware produces; a handler that throws is recorded as
    /// 500, and a request whose client went away as 499.
    /// </summary>
    /// <exception cref="InvalidOperationException"><c>AddPrometheusMetrics</c> was not called.</exception>
    public static IApplicationBuilder UsePrometheusRequestMetrics(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var metrics = PrometheusMetricsServices.Resolve<HttpRequestMetrics>(app.ApplicationServices, nameof(UsePrometheusRequestMetrics));
        return app.Use(next => new RequestMetricsMiddleware(next, metrics).InvokeAsync);
    }
}
