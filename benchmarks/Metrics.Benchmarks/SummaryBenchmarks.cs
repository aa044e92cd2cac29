using BenchmarkDotNet.Attributes;

namespace Metrics.Benchmarks;

/// <summary>
/// <see cref="Summary.Observe"/> from one and from two threads, against <see cref="Histogram.Observe"/> for scale.
/// Each invocation makes many observations so that the amortised cost of handing full chunks to the quantile
/// estimators is in the figure, not only the per-observation path.
/// </summary>
[MemoryDiagnoser]
public class SummaryBenchmarks
{
    private const int PerThread = 64 * 1024;

    private readonly double[] _values = new double[4096];
    private Summary _summary = null!;
    private Summary _countAndSumOnly = null!;
    private Histogram _histogram = null!;
    private PeerThread _peer = null!;
    private Action _observeSummary = null!;
    private Action _observeCountAndSumOnly = null!;
    private Action _observeHistogram = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        for (var i = 0; i < _values.Length; i++)
        {
            // Lognormal, like request latencies: a median of 0.1 s and a long tail.
            var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            _values[i] = Math.Exp(Math.Log(0.1) + normal);
        }

        var registry = new MetricRegistry();
        _summary = registry.CreateSummary(
            "latency_seconds",
            "Latency.",
            new SummaryOptions { Objectives = new Dictionary<double, double> { [0.5] = 0.05, [0.9] = 0.01, [0.99] = 0.001 } });
        _countAndSumOnly = registry.CreateSummary("plain_seconds", "Latency, count and sum only.");
        _histogram = registry.CreateHistogram("histogram_seconds", "Latency.");
        _peer = new PeerThread();
        // Built once, so that invocations allocate nothing of their own.
        _observeSummary = () => ObserveSummary(_summary);
        _observeCountAndSumOnly = () => ObserveSummary(_countAndSumOnly);
        _observeHistogram = ObserveHistogram;
    }

    [GlobalCleanup]
    public void Cleanup() => _peer.Dispose();

    [Benchmark(OperationsPerInvoke = PerThread)]
    public void Summary_Observe_1_thread() => ObserveSummary(_summary);

    [Benchmark(OperationsPerInvoke = 2 * PerThread)]
    public void Summary_Observe_2_threads() => _peer.RunTogether(_observeSummary);

    [Benchmark(OperationsPerInvoke = PerThread)]
    public void Summary_without_objectives_Observe_1_thread() => ObserveSummary(_countAndSumOnly);

    [Benchmark(OperationsPerInvoke = 2 * PerThread)]
    public void Summary_without_objectives_Observe_2_threads() => _peer.RunTogether(_observeCountAndSumOnly);

    [Benchmark(OperationsPerInvoke = PerThread, Baseline = true)]
    public void Histogram_Observe_1_thread() => ObserveHistogram();

    [Benchmark(OperationsPerInvoke = 2 * PerThread)]
    public void Histogram_Observe_2_threads() => _peer.RunTogether(_observeHistogram);

    private void ObserveSummary(Summary summary)
    {
        var values = _values;
        for (var i = 0; i < PerThread; i++)
        {
            summary.Observe(values[i & (values.Length - 1)]);
        }
    }

    private void ObserveHistogram()
    {
        var values = _values;
        for (var i = 0; i < PerThread; i++)
        {
            _histogram.Observe(values[i & (values.Length - 1)]);
        }
    }
}
