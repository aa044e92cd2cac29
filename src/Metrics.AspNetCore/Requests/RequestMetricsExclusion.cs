namespace Metrics.AspNetCore;

/// <summary>Endpoint metadata that keeps an endpoint's requests out of the request metrics; the metrics endpoint carries it.</summary>
internal sealed class RequestMetricsExclusion
{
    public static readonly RequestMetricsExclusion Instance = new();

    private RequestMetricsExclusion()
    {
    }
}
