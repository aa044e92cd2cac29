using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Metrics.AspNetCore.Tests;

/// <summary>
/// Builds and starts applications, on the in-memory TestServer or on real Kestrel at 127.0.0.1 with a port the
/// operating system picks; TestServer has no connections, and its body and abort features differ from Kestrel's.
/// </summary>
internal static class TestApplications
{
    /// <summary>
    /// Starts an application on TestServer with <c>AddPrometheusMetrics</c>; <paramref name="configureApp"/> adds
    /// middleware and endpoints, typically starting with <c>UsePrometheusRequestMetrics</c>. The default collectors
    /// start switched off, so that scrapes hold exact, known bytes; <paramref name="configureMetrics"/> may turn them on.
    /// </summary>
    public static Task<WebApplication> StartAsync(
        Action<WebApplication> configureApp,
        Action<PrometheusMetricsOptions>? configureMetrics = null,
        Action<WebApplicationBuilder>? configureBuilder = null)
    {
        var builder = CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddPrometheusMetrics(options =>
        {
            options.EnableDefaultCollectors = false;
            configureMetrics?.Invoke(options);
        });
        configureBuilder?.Invoke(builder);
        return BuildAndStartAsync(builder, configureApp);
    }

    /// <summary>Starts an application on Kestrel; <paramref name="listen"/> configures its one loopback endpoint.</summary>
    public static Task<WebApplication> StartOnKestrelAsync(Action<WebApplication> configureApp, Action<ListenOptions>? listen = null) =>
        StartOnKestrelAsync(configureApp, kestrel => kestrel.Listen(IPAddress.Loopback, 0, options => listen?.Invoke(options)), addMetrics: true);

    /// <summary>Starts an application on Kestrel; <paramref name="configureKestrel"/> must add the endpoint.</summary>
    public static Task<WebApplication> StartOnKestrelAsync(
        Action<WebApplication> configureApp, Action<KestrelServerOptions> configureKestrel, bool addMetrics, Action<WebApplicationBuilder>? configureBuilder = null)
    {
        var builder = CreateBuilder();
        builder.WebHost.UseKestrel(configureKestrel);
        if (addMetrics)
        {
            builder.Services.AddPrometheusMetrics(static options => options.EnableDefaultCollectors = false);
        }

        configureBuilder?.Invoke(builder);

        return BuildAndStartAsync(builder, configureApp);
    }

    public static MetricRegistry Registry(this WebApplication app) => app.Services.GetRequiredService<MetricRegistry>();

    /// <summary>The address Kestrel bound, such as <c>http://127.0.0.1:43817</c>.</summary>
    public static Uri Address(this WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());

    /// <summary>A client for <paramref name="app"/>, whichever server it runs on.</summary>
    public static HttpClient Client(this WebApplication app) =>
        app.Services.GetRequiredService<IServer>() is TestServer server ? server.CreateClient() : new HttpClient { BaseAddress = app.Address() };

    private static WebApplicationBuilder CreateBuilder()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        return builder;
    }

    private static async Task<WebApplication> BuildAndStartAsync(WebApplicationBuilder builder, Action<WebApplication> configureApp)
    {
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
}
