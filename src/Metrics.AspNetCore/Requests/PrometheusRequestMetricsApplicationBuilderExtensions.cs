using Metrics.AspNetCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

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
    /// 500 (the exception propagates). A client's fault is recorded as such and ends here, logged only at Debug: a
    /// request whose client went away (even mid-body) as 499, a body Kestrel timed out as 408 and one over the size
    /// limit as 413, with that status sent when the response has not started.
    /// </summary>
    /// <exception cref="InvalidOperationException"><c>AddPrometheusMetrics</c> was not called.</exception>
    public static IApplicationBuilder UsePrometheusRequestMetrics(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var services = app.ApplicationServices;
        var metrics = PrometheusMetricsServices.Resolve<HttpRequestMetrics>(services, nameof(UsePrometheusRequestMetrics));
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger("Metrics.AspNetCore.RequestMetrics") ?? NullLogger.Instance;
        return app.Use(next => new RequestMetricsMiddleware(next, metrics, logger).InvokeAsync);
    }
}
