using Microsoft.Extensions.Hosting;

namespace Metrics.AspNetCore;

/// <summary>Starts the sampler of <c>AddPrometheusMetricsHistory</c> with the host and stops it with the host.</summary>
internal sealed class MetricHistoryActivation(MetricHistory history) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        history.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        history.Dispose();
        return Task.CompletedTask;
    }
}
