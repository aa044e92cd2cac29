using BenchmarkDotNet.Attributes;
using Metrics;

namespace Metrics.Benchmarks;

/// <summary>Single-threaded cost of each measurement on a held handle, and of a labeled lookup, against the hardware floor.</summary>
[MemoryDiagnoser]
public class HotPathBenchmarks
{
    private long _floor;
    private Counter _counter = null!;
    private Gauge _gauge = null!;
    private Histogram _histogram = null!;
    private MetricFamily<Counter> _family = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var registry = new MetricRegistry();
        _counter = registry.CreateCounter("requests_total", "Requests.");
        _gauge = registry.CreateGauge("in_flight", "In flight.");
        _histogram = registry.CreateHistogram("latency_seconds", "Latency.", HistogramBuckets.Default);
        _family = registry.CreateCounterFamily("labeled_total", "Labeled.", ["method", "status"]);
        _family.WithLabels("GET", "200");
    }

    [Benchmark(Baseline = true)]
    public long InterlockedIncrementFloor() => Interlocked.Increment(ref _floor);

    [Benchmark]
    public void CounterInc() => _counter.Inc();

    [Benchmark]
    public void GaugeSet() => _gauge.Set(42);

    [Benchmark]
    public void GaugeInc() => _gauge.Inc();

    [Benchmark]
    public void HistogramObserve() => _histogram.Observe((_next++ & 15) * 0.07);

    [Benchmark]
    public void LabeledCounterLookupAndInc() => _family.WithLabels("GET", "200").Inc();
}
