namespace Gateway.Configuration;

/// <summary>Settings shared by every simulated provider.</summary>
internal sealed class SimulationOptions
{
    /// <summary>
    /// Answers at once, with no latency, first-token delay or injected failures: the mode for load tests, where the
    /// gateway's own cost is what is measured.
    /// </summary>
    public bool ZeroLatency { get; set; }
}
