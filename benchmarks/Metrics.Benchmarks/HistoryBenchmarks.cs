using BenchmarkDotNet.Attributes;

namespace Metrics.Benchmarks;

/// <summary>
/// One tick of <see cref="MetricHistory"/> over 10,000 series, with a full ring (N = 180), so each tick overwrites the
/// oldest point as in steady state. Target: under 5 ms per tick, and nothing allocated once every series is tracked.
/// The counter case is 10 families of 1,000 labeled counters; the histogram case is 1,000 series of 12 buckets; the
/// native case is 1,000 native-only histograms of 12 populated buckets each, whose native state every point stores.
/// </summary>
[MemoryDiagnoser]
public class HistoryBenchmarks
{
    private const int FamilyCount = 10;
    private const int SeriesPerFamily = 1_000;

    private MetricHistory _counters = null!;
    private MetricHistory _histograms = null!;
    private MetricHistory _nativeHistograms = null!;

    [GlobalSetup]
    public void Setup()
    {
        var counterRegistry = new MetricRegistry();
        for (var family = 0; family < FamilyCount; family++)
        {
            var counters = counterRegistry.CreateCounterFamily($"requests_{family}", "Requests.", ["route"]);
            for (var series = 0; series < SeriesPerFamily; series++)
            {
                counters.WithLabels($"/route/{series}").Inc(series);
            }
        }

        var histogramRegistry = new MetricRegistry();
        var histograms = histogramRegistry.CreateHistogramFamily("latency_seconds", "Latency.", ["route"], HistogramBuckets.Exponential(0.001, 2.5, 11));
        for (var series = 0; series < SeriesPerFamily; series++)
        {
            histograms.WithLabels($"/route/{series}").Observe(series / 1000.0);
        }

        var nativeRegistry = new MetricRegistry();
        var natives = nativeRegistry.CreateNativeHistogramFamily("latency_seconds", "Latency.", ["route"]);
        for (var series = 0; series < SeriesPerFamily; series++)
        {
            var native = natives.WithLabels($"/route/{series}");
            for (var bucket = 0; bucket < 12; bucket++)
            {
                native.Observe(0.001 * Math.Pow(2.5, bucket));
            }
        }

        _counters = Filled(counterRegistry);
        _histograms = Filled(histogramRegistry);
        _nativeHistograms = Filled(nativeRegistry);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _counters.Dispose();
        _histograms.Dispose();
        _nativeHistograms.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void Tick_10000_counter_series() => _counters.Sample();

    [Benchmark]
    public void Tick_1000_histogram_series() => _histograms.Sample();

    [Benchmark]
    public void Tick_1000_native_histogram_series() => _nativeHistograms.Sample();

    private static MetricHistory Filled(MetricRegistry registry)
    {
        var history = new MetricHistory(registry, new MetricHistoryOptions { Capacity = MetricHistoryOptions.DefaultCapacity });
        for (var i = 0; i < MetricHistoryOptions.DefaultCapacity; i++)
        {
            history.Sample();
        }

        return history;
    }
}
