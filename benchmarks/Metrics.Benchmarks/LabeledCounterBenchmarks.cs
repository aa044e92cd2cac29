using BenchmarkDotNet.Attributes;
using Otel = System.Diagnostics.Metrics;
using Prom = Prometheus;

namespace Metrics.Benchmarks;

/// <summary>Row 3: the common call site that does not keep the handle: look up an existing child by 2 label values, then increment.</summary>
[MemoryDiagnoser]
public class LabeledCounterBenchmarks
{
    private long _floor;
    private Competitors _competitors = null!;
    private MetricFamily<Counter> _ours = null!;
    private Prom.Counter _prometheusNet = null!;
    private Otel.Counter<long> _openTelemetry = null!;

    [GlobalSetup]
    public void Setup()
    {
        _competitors = new Competitors();
        _ours = new MetricRegistry().CreateCounterFamily("requests_total", "Requests.", ["method", "status"]);
        _prometheusNet = _competitors.PrometheusFactory.CreateCounter("requests_total", "Requests.", ["method", "status"]);
        _openTelemetry = _competitors.Meter.CreateCounter<long>("requests");
        Ours();
        PrometheusNet();
        OpenTelemetry();
    }

    [GlobalCleanup]
    public void Cleanup() => _competitors.Dispose();

    [Benchmark(Baseline = true)]
    public long Floor() => Interlocked.Increment(ref _floor);

    [Benchmark]
    public void Ours() => _ours.WithLabels("GET", "200").Inc();

    [Benchmark]
    public void PrometheusNet() => _prometheusNet.WithLabels("GET", "200").Inc();

    [Benchmark]
    public void OpenTelemetry() => _openTelemetry.Add(1, new("method", "GET"), new("status", "200"));
}
