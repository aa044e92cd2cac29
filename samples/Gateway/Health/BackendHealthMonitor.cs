using System.Diagnostics;
using Gateway.Configuration;
using Gateway.Resilience;
using Gateway.Routing;

namespace Gateway.Health;

/// <summary>
/// Probes every provider's <c>GET /v1/models</c> at a fixed interval, records each probe's latency, and keeps each
/// provider's health for <c>llm_backends_healthy</c>, <c>/v1/stats</c> and <c>/health</c>.
/// </summary>
internal sealed partial class BackendHealthMonitor(
    ProviderDirectory providers,
    IHttpClientFactory clients,
    GatewayOptions options,
    ILogger<BackendHealthMonitor> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.HealthChecks.Interval);
        try
        {
            do
            {
                await Task.WhenAll(providers.All.Select(provider => ProbeAsync(provider, stoppingToken)));
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    private async Task ProbeAsync(Provider provider, CancellationToken stoppingToken)
    {
        if (provider.BaseUri is null)
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        bool healthy;
        try
        {
            using var request = UpstreamRequest.ForModels(provider);
            using var response = await clients.CreateClient(ProviderHttpClients.HealthProbeClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stoppingToken);
            healthy = response.IsSuccessStatusCode;
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException && !stoppingToken.IsCancellationRequested)
        {
            healthy = false;
        }

        provider.Metrics.RecordHealthCheck(Stopwatch.GetElapsedTime(started).TotalSeconds);
        if (provider.RecordProbe(healthy))
        {
            LogHealthChanged(logger, provider.Name, healthy ? "healthy" : "unhealthy");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Provider {Provider} is {State}.")]
    private static partial void LogHealthChanged(ILogger logger, string provider, string state);
}
