using BenchmarkDotNet.Attributes;
using Otel = System.Diagnostics.Metrics;
using Prom = Prometheus;

namespace Metrics.Benchmarks;

/// <summary>Row 4: <c>Set</c> and <c>Inc</c> on a held gauge. OpenTelemetry's closest instruments are <c>Gauge&lt;T&gt;.Record</c> and <c>UpDownCounter&lt;T&gt;.Add</c>.</summary>
[MemoryDiagnoser]
public class GaugeBenchmarks
{
    private long _floor;
    private Competitors _competitors = null!;
    private Gauge _ours = null!;
    private Prom.Gauge _prometheusNet = null!;
    private Otel.Gauge<double> _openTelemetryGauge = null!;
    private Otel.UpDownCounter<double> _openTelemetryUpDown = null!;

    [GlobalSetup]
    public void Setup()
    {
        _competitors = new Competitors();
        _ours = new MetricRegistry().CreateGauge("in_flight", "In flight.");
        _prometheusNet = _competitors.PrometheusFactory.CreateGauge("in_flight", "In flight.");
        _openTelemetryGauge = _competitors.Meter.CreateGauge<double>("in_flight");
        _openTelemetryUpDown = _competitors.Meter.CreateUpDownCounter<double>("in_flight_delta");
    }

    [GlobalCleanup]
    public void Cleanup() => _competitors.Dispose();

    [Benchmark(Baseline = true)]
    public long Floor() => Interlocked.Increment(ref _floor);

    [Benchmark]
    public void OursSet() => _ours.Set(42);

    [Benchmark]
    public void PrometheusNetSet() => _prometheusNet.Set(42);

    [Benchmark]
    public void OpenTelemetrySet() => _openTelemetryGauge.Record(42);

    [Benchmark]
    public void OursInc() => _ours.Inc();

    [Benchmark]
    public void PrometheusNetInc() => _prometheusNet.Inc();

    [Benchmark]
    public void OpenTelemetryInc() => _openTelemetryUpDown.Add(1);
}
