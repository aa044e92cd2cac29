using BenchmarkDotNet.Attributes;
using Otel = System.Diagnostics.Metrics;
using Prom = Prometheus;

namespace Metrics.Benchmarks;

/// <summary>Row 5: <c>Observe</c> on a held histogram with 16 and with 128 buckets, over values spread across all of them.</summary>
[MemoryDiagnoser]
public class HistogramBenchmarks
{
    private const int ValueCount = 1024;

    private long _floor;
    private Competitors _competitors = null!;
    private Histogram _ours = null!;
    private Prom.Histogram _prometheusNet = null!;
    private Otel.Histogram<double> _openTelemetry = null!;
    private double[] _values = null!;
    private int _next;

    [Params(16, 128)]
    public int Buckets { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var bounds = HistogramBuckets.Exponential(0.001, Math.Pow(100_000, 1.0 / (Buckets - 1)), Buckets);
        _competitors = new Competitors(bounds);
        _ours = new MetricRegistry().CreateHistogram("latency_seconds", "Latency.", bounds);
        _prometheusNet = _competitors.PrometheusFactory.CreateHistogram("latency_seconds", "Latency.", new Prom.HistogramConfiguration { Buckets = bounds });
        _openTelemetry = _competitors.Meter.CreateHistogram<double>("latency");
        // Log-uniform over the bucket range and a little past it, so every bucket and +Inf are hit.
        var random = new Random(42);
        _values = new double[ValueCount];
        for (var i = 0; i < ValueCount; i++)
        {
            _values[i] = 0.0005 * Math.Pow(10, random.NextDouble() * 9);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _competitors.Dispose();

    [Benchmark(Baseline = true)]
    public long Floor() => Interlocked.Increment(ref _floor);

    [Benchmark]
    public void Ours() => _ours.Observe(NextValue());

    [Benchmark]
    public void PrometheusNet() => _prometheusNet.Observe(NextValue());

    [Benchmark]
    public void OpenTelemetry() => _openTelemetry.Record(NextValue());

    private double NextValue() => _values[_next++ & (ValueCount - 1)];
}
