using BenchmarkDotNet.Attributes;
using Prom = Prometheus;

namespace Metrics.Benchmarks;

/// <summary>
/// Row 7: 2 threads, and one thread per processor, hammering one counter and one histogram. Each invocation makes
/// <see cref="Operations"/> measurements in all, split evenly across the threads, so the time reported is per
/// measurement and throughput is its inverse.
/// </summary>
[MemoryDiagnoser]
public class ContentionBenchmarks
{
    private const int Operations = 1 << 20;

    private static readonly double[] Latencies = [0.003, 0.007, 0.02, 0.04, 0.08, 0.2, 0.4, 0.8, 2, 4, 8, 20, 0.03, 0.3, 3, 30];

    private Competitors _competitors = null!;
    private Counter _counter = null!;
    private Histogram _histogram = null!;
    private Prom.Counter _prometheusNetCounter = null!;
    private Prom.Histogram _prometheusNetHistogram = null!;

    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; }

    public static IEnumerable<int> ThreadCounts => new[] { 2, Environment.ProcessorCount }.Distinct();

    [GlobalSetup]
    public void Setup()
    {
        _competitors = new Competitors();
        var registry = new MetricRegistry();
        _counter = registry.CreateCounter("requests_total", "Requests.");
        _histogram = registry.CreateHistogram("latency_seconds", "Latency.", HistogramBuckets.Default);
        _prometheusNetCounter = _competitors.PrometheusFactory.CreateCounter("requests_total", "Requests.");
        _prometheusNetHistogram = _competitors.PrometheusFactory.CreateHistogram(
            "latency_seconds", "Latency.", new Prom.HistogramConfiguration { Buckets = [.. HistogramBuckets.Default] });
    }

    [GlobalCleanup]
    public void Cleanup() => _competitors.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Operations)]
    public void OursCounter() => Run(static (benchmark, count) =>
    {
        var counter = benchmark._counter;
        for (var i = 0; i < count; i++)
        {
            counter.Inc();
        }
    });

    [Benchmark(OperationsPerInvoke = Operations)]
    public void PrometheusNetCounter() => Run(static (benchmark, count) =>
    {
        var counter = benchmark._prometheusNetCounter;
        for (var i = 0; i < count; i++)
        {
            counter.Inc();
        }
    });

    [Benchmark(OperationsPerInvoke = Operations)]
    public void OursHistogram() => Run(static (benchmark, count) =>
    {
        var histogram = benchmark._histogram;
        for (var i = 0; i < count; i++)
        {
            histogram.Observe(Latencies[i & 15]);
        }
    });

    [Benchmark(OperationsPerInvoke = Operations)]
    public void PrometheusNetHistogram() => Run(static (benchmark, count) =>
    {
        var histogram = benchmark._prometheusNetHistogram;
        for (var i = 0; i < count; i++)
        {
            histogram.Observe(Latencies[i & 15]);
        }
    });

    // The delegate runs once per thread with that thread's share, so its call cost stays out of the per-measurement time.
    private void Run(Action<ContentionBenchmarks, int> slice) =>
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, _ => slice(this, Operations / Threads));
}
