using Metrics;
using Polly.CircuitBreaker;

namespace Gateway.Telemetry;

/// <summary>One provider's series, resolved once: retries, circuit state and health-check latency.</summary>
internal sealed class ProviderMetrics
{
    private readonly bool _enabled;
    private readonly Counter _retries;
    private readonly Gauge _circuitState;
    private readonly Histogram _healthCheckDuration;

    /// <summary>Resolves the series of provider <paramref name="provider"/>; the circuit starts closed (0).</summary>
    public ProviderMetrics(GatewayMetrics metrics, string provider)
    {
        _enabled = metrics.Enabled;
        _retries = metrics.Retries.WithLabels(provider);
        _circuitState = metrics.CircuitState.WithLabels(provider);
        _healthCheckDuration = metrics.HealthCheckDuration.WithLabels(provider);
    }

    /// <summary>Counts one retry, from Polly's <c>OnRetry</c>.</summary>
    public void RecordRetry()
    {
        if (_enabled)
        {
            _retries.Inc();
        }
    }

    /// <summary>Sets <c>llm_circuit_state</c> from Polly's <c>OnOpened</c>, <c>OnClosed</c> and <c>OnHalfOpened</c>.</summary>
    public void RecordCircuitState(CircuitState state)
    {
        if (_enabled)
        {
            _circuitState.Set(CircuitStateValue(state));
        }
    }

    /// <summary>Observes one health probe's duration.</summary>
    public void RecordHealthCheck(double seconds)
    {
        if (_enabled)
        {
            _healthCheckDuration.Observe(seconds);
        }
    }

    /// <summary>The gauge value of <paramref name="state"/>: 0 closed, 1 open (also when isolated by hand), 2 half-open.</summary>
    public static double CircuitStateValue(CircuitState state) => state switch
    {
        CircuitState.Open or CircuitState.Isolated => 1,
        CircuitState.HalfOpen => 2,
        _ => 0,
    };
}
