using Gateway.Configuration;

namespace Gateway.Simulation;

/// <summary>
/// The timing of one simulated answer: lognormal total latency and first-token delay around the configured medians,
/// and a fixed gap between streamed tokens. In zero-latency mode every wait is skipped outright.
/// </summary>
internal readonly struct SimulatedPace(SimulatedProviderOptions options, bool zeroLatency)
{
    /// <summary>Waits as long as a non-streaming answer takes.</summary>
    public Task WholeAnswerAsync(CancellationToken cancellationToken) => WaitAsync(Lognormal(options.LatencyMedianMs), cancellationToken);

    /// <summary>Waits until the first streamed token.</summary>
    public Task FirstTokenAsync(CancellationToken cancellationToken) => WaitAsync(Lognormal(options.FirstTokenMedianMs), cancellationToken);

    /// <summary>Waits between two streamed tokens.</summary>
    public Task NextTokenAsync(CancellationToken cancellationToken) => WaitAsync(options.TokenIntervalMs, cancellationToken);

    private Task WaitAsync(double milliseconds, CancellationToken cancellationToken) =>
        zeroLatency || milliseconds < 1 ? Task.CompletedTask : Task.Delay(TimeSpan.FromMilliseconds(milliseconds), cancellationToken);

    // median × e^(σ·Z) with Z standard normal (Box–Muller): the long right tail real LLM latencies have.
    private double Lognormal(double median)
    {
        if (median <= 0 || options.LatencySigma <= 0)
        {
            return Math.Max(0, median);
        }

        var u1 = 1.0 - Random.Shared.NextDouble();
        var u2 = Random.Shared.NextDouble();
        var z = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        return median * Math.Exp(options.LatencySigma * z);
    }
}
