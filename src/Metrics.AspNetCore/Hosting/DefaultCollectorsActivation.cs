using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Metrics.AspNetCore;

/// <summary>
/// Adds the process and runtime collectors to the adapter's registry when the host starts, if
/// <see cref="PrometheusMetricsOptions.EnableDefaultCollectors"/> is on. At start rather than at registration, so that
/// a registry the application supplies gets them too, whichever of the adapter's pieces it uses.
/// </summary>
internal sealed class DefaultCollectorsActivation(MetricRegistry registry, IOptions<PrometheusMetricsOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.EnableDefaultCollectors)
        {
            registry.AddDefaultCollectors();
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
