using Gateway.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.Health;

/// <summary>The gateway's own health for <c>GET /health</c>: healthy with every provider up, degraded with some, unhealthy with none.</summary>
internal sealed class BackendsHealthCheck(ProviderDirectory providers) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var healthy = providers.HealthyCount;
        var total = providers.All.Count;
        var data = new Dictionary<string, object> { ["backends_healthy"] = healthy, ["backends_total"] = total };
        var description = $"{healthy} of {total} providers healthy";
        var result = healthy == total
            ? HealthCheckResult.Healthy(description, data)
            : healthy > 0 ? HealthCheckResult.Degraded(description, data: data) : HealthCheckResult.Unhealthy(description, data: data);
        return Task.FromResult(result);
    }
}
