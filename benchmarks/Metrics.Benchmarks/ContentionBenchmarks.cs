using BenchmarkDotNet.Attributes;
using Metrics;

namespace Metrics.Benchmarks;

/// <summary>
/// Throughput of one held counter and one held histogram hammered by 1 and 2 threads. Each invocation performs
/// <see cref="Operations"/> measurements in total, split evenly across the threads, so the reported time is per
/// measurement across all threads.
/// </summary>
[MemoryDiagnoser]
public class ContentionBenchmarks
{
    private const int Operations = 1_000_000;

    private Counter _counter = null!;
    private Histogram _histogram = null!;
    private double[] _values = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var registry = new MetricRegistry();
        _counter = registry.CreateCounter("requests_total", "Requests.");
        _histogram = registry.CreateHistogram("latency_seconds", "Latency.", HistogramBuckets.Default);
        // Realistic latencies spread across the default buckets.
        _values = [0.003, 0.007, 0.02, 0.04, 0.08, 0.2, 0.4, 0.8, 2, 4, 8, 20];
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    public void CounterInc() => Parallel.For(0, Threads, _ =>
    {
        var counter = _counter;
        for (var i = 0; i < Operations / Threads; i++)
        {
            counter.Inc();
        }
    });

    [Benchmark(OperationsPerInvoke = Operations)]
    public void HistogramObserve() => Parallel.For(0, Threads, _ =>
    {
        var histogram = _histogram;
        var values = _values;
        for (var i = 0; i < Operations / Threads; i++)
        {
            histogram.Observe(values[i % values.Length]);
        }
    });
}
