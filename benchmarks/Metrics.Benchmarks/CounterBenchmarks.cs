using BenchmarkDotNet.Attributes;
using Otel = System.Diagnostics.Metrics;
using Prom = Prometheus;

namespace Metrics.Benchmarks;

/// <summary>Row 2: <c>Inc()</c> on a held, unlabeled counter.</summary>
[MemoryDiagnoser]
public class CounterBenchmarks
{
    private long _floor;
    private Competitors _competitors = null!;
    private Counter _ours = null!;
    private Prom.Counter _prometheusNet = null!;
    private Otel.Counter<long> _openTelemetry = null!;

    [GlobalSetup]
    public void Setup()
    {
        _competitors = new Competitors();
        _ours = new MetricRegistry().CreateCounter("requests_total", "Requests.");
        _prometheusNet = _competitors.PrometheusFactory.CreateCounter("requests_total", "Requests.");
        _openTelemetry = _competitors.Meter.CreateCounter<long>("requests");
    }

    [GlobalCleanup]
    public void Cleanup() => _competitors.Dispose();

    [Benchmark(Baseline = true)]
    public long Floor() => Interlocked.Increment(ref _floor);

    [Benchmark]
    public void Ours() => _ours.Inc();

    [Benchmark]
    public void PrometheusNet() => _prometheusNet.Inc();

    [Benchmark]
    public void OpenTelemetry() => _openTelemetry.Add(1);
}
