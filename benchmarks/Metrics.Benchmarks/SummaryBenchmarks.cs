using BenchmarkDotNet.Attributes;
using Prom = Prometheus;

namespace Metrics.Benchmarks;

/// <summary>
/// <see cref="Summary.Observe"/> from one and from two threads, against prometheus-net's summary, with the
/// objectives 0.5 ± 0.05, 0.9 ± 0.01 and 0.99 ± 0.001 and without objectives (count and sum only). Each invocation
/// makes <see cref="Operations"/> observations in all, split evenly across the threads, so the time reported is per
/// observation and includes the amortised cost of feeding the quantile estimators.
/// </summary>
[MemoryDiagnoser]
public class SummaryBenchmarks
{
    private const int Operations = 1 << 18;
    private const int ValueCount = 4096;

    private static readonly double[] Values = LognormalLatencies();

    private Competitors _competitors = null!;
    private Summary _ours = null!;
    private Summary _oursWithoutObjectives = null!;
    private Prom.Summary _prometheusNet = null!;
    private Prom.Summary _prometheusNetWithoutObjectives = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _competitors = new Competitors();
        var registry = new MetricRegistry();
        _ours = registry.CreateSummary(
            "latency_seconds",
            "Latency.",
            new SummaryOptions { Objectives = new Dictionary<double, double> { [0.5] = 0.05, [0.9] = 0.01, [0.99] = 0.001 } });
        _oursWithoutObjectives = registry.CreateSummary("plain_seconds", "Latency, count and sum only.");
        _prometheusNet = _competitors.PrometheusFactory.CreateSummary("latency_seconds", "Latency.", new Prom.SummaryConfiguration
        {
            Objectives = [new(0.5, 0.05), new(0.9, 0.01), new(0.99, 0.001)],
        });
        _prometheusNetWithoutObjectives = _competitors.PrometheusFactory.CreateSummary("plain_seconds", "Latency, count and sum only.");
    }

    [GlobalCleanup]
    public void Cleanup() => _competitors.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Operations)]
    public void Ours() => Run(static (benchmark, count) =>
    {
        var summary = benchmark._ours;
        for (var i = 0; i < count; i++)
        {
            summary.Observe(Values[i & (ValueCount - 1)]);
        }
    });

    [Benchmark(OperationsPerInvoke = Operations)]
    public void PrometheusNet() => Run(static (benchmark, count) =>
    {
        var summary = benchmark._prometheusNet;
        for (var i = 0; i < count; i++)
        {
            summary.Observe(Values[i & (ValueCount - 1)]);
        }
    });

    [Benchmark(OperationsPerInvoke = Operations)]
    public void OursWithoutObjectives() => Run(static (benchmark, count) =>
    {
        var summary = benchmark._oursWithoutObjectives;
        for (var i = 0; i < count; i++)
        {
            summary.Observe(Values[i & (ValueCount - 1)]);
        }
    });

    [Benchmark(OperationsPerInvoke = Operations)]
    public void PrometheusNetWithoutObjectives() => Run(static (benchmark, count) =>
    {
        var summary = benchmark._prometheusNetWithoutObjectives;
        for (var i = 0; i < count; i++)
        {
            summary.Observe(Values[i & (ValueCount - 1)]);
        }
    });

    // Lognormal, like request latencies: a median of 0.1 s and a long tail.
    private static double[] LognormalLatencies()
    {
        var random = new Random(42);
        var values = new double[ValueCount];
        for (var i = 0; i < values.Length; i++)
        {
            var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            values[i] = Math.Exp(Math.Log(0.1) + normal);
        }

        return values;
    }

    // The delegate runs once per thread with that thread's share, so its call cost stays out of the per-observation time.
    private void Run(Action<SummaryBenchmarks, int> slice) =>
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, _ => slice(this, Operations / Threads));
}
