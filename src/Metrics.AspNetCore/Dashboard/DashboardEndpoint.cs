using System.Net;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Metrics.AspNetCore;

/// <summary>
/// Serves the dashboard: one self-contained HTML page embedded in the adapter, with its styles and script inline (no
/// CDN, no web fonts) and its configuration written in at each request, so panels appear as their families do. A
/// per-request nonce lets the Content-Security-Policy allow only that inline script and style and same-origin fetches.
/// </summary>
internal sealed class DashboardEndpoint(MetricRegistry registry, PrometheusMetricsDashboardOptions options, PrometheusMetricsOptions adapterOptions)
{
    private static readonly string Template = LoadTemplate();

    public Task HandleAsync(HttpContext context)
    {
        var streamPath = options.StreamPath.StartsWith('/') ? context.Request.PathBase + options.StreamPath : options.StreamPath;
        var config = new DashboardConfigBuilder(registry, options, adapterOptions).Build(streamPath);
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var page = Template
            .Replace("{{TITLE}}", WebUtility.HtmlEncode(options.Title), StringComparison.Ordinal)
            .Replace("{{NONCE}}", nonce, StringComparison.Ordinal)
            // The default encoder escapes <, > and &, so the JSON cannot close the script element.
            .Replace("/*CONFIG*/null", JsonSerializer.Serialize(config, MetricsJsonContext.Default.DashboardConfig), StringComparison.Ordinal);

        var response = context.Response;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.ContentSecurityPolicy =
            $"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.WriteAsync(page, context.RequestAborted);
    }

    private static string LoadTemplate()
    {
        using var stream = typeof(DashboardEndpoint).Assembly.GetManifestResourceStream("Metrics.AspNetCore.Dashboard.dashboard.html")
            ?? throw new InvalidOperationException("The dashboard page is missing from the assembly's resources.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
