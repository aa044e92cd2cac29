using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Metrics.AspNetCore;

/// <summary>
/// Starts the <see cref="System.Diagnostics.Metrics"/> bridge when the host starts, if
/// <see cref="PrometheusMetricsOptions.EnableMeterBridge"/> is on, and stops it with the host. The application's
/// <see cref="IMeterFactory"/> scopes it, so that another host in the process (a test server, say) does not feed it its
/// ASP.NET Core and Kestrel meters.
/// </summary>
internal sealed class MeterBridgeActivation(MetricRegistry registry, IOptions<PrometheusMetricsOptions> options, IServiceProvider services)
    : IHostedService, IDisposable
{
    private IDisposable? _bridge;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.EnableMeterBridge && _bridge is null)
        {
            var bridgeOptions = new MeterBridgeOptions
            {
                MeterScope = services.GetService(typeof(IMeterFactory)),
                Meters = settings.MeterBridgeMeters is { } meters ? [.. meters] : [.. PrometheusMetricsOptions.DefaultMeterBridgeMeters],
            };

            _bridge = registry.AddMeterBridge(bridgeOptions);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        Interlocked.Exchange(ref _bridge, null)?.Dispose();
    }
}
