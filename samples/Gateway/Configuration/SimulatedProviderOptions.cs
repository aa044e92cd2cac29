namespace Gateway.Configuration;

/// <summary>How one simulated provider behaves: latency, output length and injected failures.</summary>
internal sealed class SimulatedProviderOptions
{
    /// <summary>The median time to a complete non-streaming answer; the latency is lognormal around it.</summary>
    public double LatencyMedianMs { get; set; } = 400;

    /// <summary>The lognormal shape: the standard deviation of the latency's logarithm. 0 makes latency fixed.</summary>
    public double LatencySigma { get; set; } = 0.5;

    /// <summary>The median delay before the first streamed token; lognormal with the same sigma.</summary>
    public double FirstTokenMedianMs { get; set; } = 200;

    /// <summary>The delay between streamed tokens.</summary>
    public double TokenIntervalMs { get; set; } = 15;

    /// <summary>How many tokens an answer has, unless the request's token limit is lower.</summary>
    public int CompletionTokens { get; set; } = 24;

    /// <summary>The share of requests answered 429.</summary>
    public double RateLimitedRate { get; set; }

    /// <summary>The share of requests answered 500.</summary>
    public double ServerErrorRate { get; set; }

    /// <summary>The share of requests that never answer, so the gateway's attempt timeout fires.</summary>
    public double TimeoutRate { get; set; }

    /// <summary>The <c>Retry-After</c> seconds sent with a 429.</summary>
    public int RetryAfterSeconds { get; set; } = 1;
}
