namespace Gateway.Configuration;

/// <summary>The periodic probe of every provider's <c>GET /v1/models</c>.</summary>
internal sealed class HealthCheckOptions
{
    /// <summary>The time between probe rounds.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one probe may take before the provider counts as unhealthy.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);
}
