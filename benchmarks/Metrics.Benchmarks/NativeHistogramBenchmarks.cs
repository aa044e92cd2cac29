using BenchmarkDotNet.Attributes;
using Otel = System.Diagnostics.Metrics;

namespace Metrics.Benchmarks;

/// <summary>
/// Native histogram <c>Observe</c> on a held series, on 1 and 2 threads, against our classic 16-bucket histogram
/// (the baseline) and OpenTelemetry's base-2 exponential histogram, over values spread log-uniformly across nine
/// decades. Each invocation makes <see cref="Operations"/> observations split evenly across the threads, so the time
/// reported is per observation.
/// </summary>
[MemoryDiagnoser]
public class NativeHistogramBenchmarks
{
    private const int Operations = 1 << 20;
    private const int ValueCount = 1024;

    private Competitors _competitors = null!;
    private Histogram _classic = null!;
    private NativeHistogram _native = null!;
    private Otel.Histogram<double> _openTelemetry = null!;
    private double[] _values = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _competitors = new Competitors(exponentialHistograms: true);
        _classic = new MetricRegistry().CreateHistogram(
            "latency_seconds", "Latency.", HistogramBuckets.Exponential(0.001, Math.Pow(100_000, 1.0 / 15), 16));
        _native = new MetricRegistry().CreateNativeHistogram("latency_seconds", "Latency.");
        _openTelemetry = _competitors.Meter.CreateHistogram<double>("latency");
        var random = new Random(42);
        _values = new double[ValueCount];
        for (var i = 0; i < ValueCount; i++)
        {
            _values[i] = 0.0005 * Math.Pow(10, random.NextDouble() * 9);
        }

        // Every bucket exists, and every reduction has happened, before measuring.
        foreach (var value in _values)
        {
            _native.Observe(value);
            _openTelemetry.Record(value);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _competitors.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Operations)]
    public void Classic() => Run(static (benchmark, offset, count) =>
    {
        var histogram = benchmark._classic;
        var values = benchmark._values;
        for (var i = offset; i < offset + count; i++)
        {
            histogram.Observe(values[i & (ValueCount - 1)]);
        }
    });

    [Benchmark(OperationsPerInvoke = Operations)]
    public void Native() => Run(static (benchmark, offset, count) =>
    {
        var histogram = benchmark._native;
        var values = benchmark._values;
        for (var i = offset; i < offset + count; i++)
        {
            histogram.Observe(values[i & (ValueCount - 1)]);
        }
    });

    [Benchmark(OperationsPerInvoke = Operations)]
    public void OpenTelemetryExponential() => Run(static (benchmark, offset, count) =>
    {
        var histogram = benchmark._openTelemetry;
        var values = benchmark._values;
        for (var i = offset; i < offset + count; i++)
        {
            histogram.Record(values[i & (ValueCount - 1)]);
        }
    });

    // The delegate runs once per thread with that thread's share, so its call cost stays out of the per-observation time.
    private void Run(Action<NativeHistogramBenchmarks, int, int> slice)
    {
        var share = Operations / Threads;
        if (Threads == 1)
        {
            slice(this, 0, share);
            return;
        }

        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, thread => slice(this, thread * 101, share));
    }
}
