using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Metrics.AspNetCore.Tests;

/// <summary>Starts applications on real Kestrel at 127.0.0.1, on a port the operating system picks.</summary>
internal static class KestrelApplications
{
    /// <summary>Starts an application on Kestrel; <paramref name="listen"/> configures the one loopback endpoint.</summary>
    public static Task<WebApplication> StartAsync(Action<WebApplication> configureApp, Action<ListenOptions>? listen = null) =>
        StartAsync(configureApp, kestrel => kestrel.Listen(IPAddress.Loopback, 0, options => listen?.Invoke(options)), addMetrics: true);

    /// <summary>Starts an application on Kestrel; <paramref name="configureKestrel"/> must add the endpoint.</summary>
    public static async Task<WebApplication> StartAsync(Action<WebApplication> configureApp, Action<KestrelServerOptions> configureKestrel, bool addMetrics)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(configureKestrel);
        if (addMetrics)
        {
            builder.Services.AddPrometheusMetrics();
        }

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

    /// <summary>The address Kestrel bound, such as <c>http://127.0.0.1:43817</c>.</summary>
    public static Uri Address(this WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
}
