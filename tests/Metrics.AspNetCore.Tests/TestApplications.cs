using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Metrics.AspNetCore.Tests;

/// <summary>Builds and starts applications on the in-memory TestServer.</summary>
internal static class TestApplications
{
    /// <summary>
    /// Starts an application with <c>AddPrometheusMetrics</c>; <paramref name="configureApp"/> adds middleware and
    /// endpoints, typically starting with <c>UsePrometheusRequestMetrics</c>.
    /// </summary>
    public static async Task<WebApplication> StartAsync(
        Action<WebApplication> configureApp,
        Action<PrometheusMetricsOptions>? configureMetrics = null,
        Action<WebApplicationBuilder>? configureBuilder = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddPrometheusMetrics(configureMetrics);
        configureBuilder?.Invoke(builder);
        var app = builder.Build();
        try
        {
            configureApp(app);
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return app;
    }

    public static MetricRegistry Registry(this WebApplication app) => app.Services.GetRequiredService<MetricRegistry>();
}
