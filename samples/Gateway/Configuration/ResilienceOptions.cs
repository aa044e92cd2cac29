namespace Gateway.Configuration;

/// <summary>Polly settings applied to every provider's HTTP pipeline; each provider gets its own breaker.</summary>
internal sealed class ResilienceOptions
{
    /// <summary>Retries after the first attempt, on 408, 429, 5xx, timeouts and connection failures.</summary>
    public int MaxRetryAttempts { get; set; } = 2;

    /// <summary>The first retry delay; later ones grow exponentially. A <c>Retry-After</c> header takes precedence.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Whether retry delays are jittered, so that clients do not retry in lockstep.</summary>
    public bool RetryJitter { get; set; } = true;

    /// <summary>How long one attempt may take to return response headers.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one provider may take across all its attempts and retry delays.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>The share of failed attempts in the sampling window that opens the circuit.</summary>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>The fewest attempts in the sampling window before the breaker judges the failure ratio.</summary>
    public int MinimumThroughput { get; set; } = 8;

    /// <summary>The window over which the failure ratio is measured.</summary>
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit stays open before one trial request is let through (half-open).</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The longest a provider may take over a response body once its headers arrived: the whole body of a
    /// non-streaming answer, or any silence between a stream's chunks.
    /// </summary>
    public TimeSpan ResponseIdleTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
