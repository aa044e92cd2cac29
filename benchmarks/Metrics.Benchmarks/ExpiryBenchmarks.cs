using BenchmarkDotNet.Attributes;

namespace Metrics.Benchmarks;

/// <summary>
/// The measurement path with and without <see cref="FamilyOptions.ExpireAfter"/>, single-threaded, in the steady
/// state between scrapes. Each invocation makes 1,000 measurements, so call overhead does not hide a nanosecond.
/// </summary>
[MemoryDiagnoser]
public class ExpiryBenchmarks
{
    private const int Operations = 1_000;

    private readonly Counter _counter;
    private readonly Counter _expiringCounter;
    private readonly Gauge _gauge;
    private readonly Gauge _expiringGauge;
    private readonly Histogram _histogram;
    private readonly Histogram _expiringHistogram;

    public ExpiryBenchmarks()
    {
        var registry = new MetricRegistry();
        var expiring = new FamilyOptions { ExpireAfter = TimeSpan.FromMinutes(5) };
        _counter = registry.CreateCounterFamily("requests", "Requests.", ["route"]).WithLabels("/a");
        _expiringCounter = registry.CreateCounterFamily("expiring_requests", "Requests.", ["route"], expiring).WithLabels("/a");
        _gauge = registry.CreateGaugeFamily("queue_depth", "Depth.", ["queue"]).WithLabels("mail");
        _expiringGauge = registry.CreateGaugeFamily("expiring_queue_depth", "Depth.", ["queue"], expiring).WithLabels("mail");
        _histogram = registry.CreateHistogramFamily("latency_seconds", "Latency.", ["route"]).WithLabels("/a");
        _expiringHistogram = registry.CreateHistogramFamily("expiring_latency_seconds", "Latency.", ["route"], null, expiring).WithLabels("/a");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Operations)]
    public void Counter_inc()
    {
        for (var i = 0; i < Operations; i++)
        {
            _counter.Inc();
        }
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    public void Counter_inc_with_expiry()
    {
        for (var i = 0; i < Operations; i++)
        {
            _expiringCounter.Inc();
        }
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    public void Gauge_set()
    {
        for (var i = 0; i < Operations; i++)
        {
            _gauge.Set(i);
        }
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    public void Gauge_set_with_expiry()
    {
        for (var i = 0; i < Operations; i++)
        {
            _expiringGauge.Set(i);
        }
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    public void Histogram_observe()
    {
        for (var i = 0; i < Operations; i++)
        {
            _histogram.Observe(0.042);
        }
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    public void Histogram_observe_with_expiry()
    {
        for (var i = 0; i < Operations; i++)
        {
            _expiringHistogram.Observe(0.042);
        }
    }
}
