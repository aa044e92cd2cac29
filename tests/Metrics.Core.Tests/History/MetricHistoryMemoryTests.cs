namespace Metrics.Tests.History;

/// <summary>
/// The memory bound that <see cref="MetricHistory"/> documents, measured as every byte the sampler allocates on the
/// sampling thread while it fills its ring: an upper bound of what it keeps.
/// </summary>
public sealed class MetricHistoryMemoryTests
{
    private const int Capacity = MetricHistoryOptions.DefaultCapacity;

    [Test]
    public void Ten_thousand_counter_series_at_180_points_take_under_17_MiB()
    {
        var registry = new MetricRegistry();
        for (var family = 0; family < 10; family++)
        {
            var counters = registry.CreateCounterFamily($"requests_{family}", "Requests.", ["route"]);
            for (var series = 0; series < 1_000; series++)
            {
                counters.WithLabels($"/route/{series}").Inc();
            }
        }

        var allocated = AllocatedWhileFilling(registry);

        // The documented formula: 8·N per counter series, plus bookkeeping per series and 8·N for the timestamps.
        TestContext.Out.WriteLine($"10,000 counter series, N = {Capacity}: {allocated:N0} bytes ({allocated / 10_000.0:N0} per series)");
        allocated.ShouldBeGreaterThan(10_000L * Capacity * sizeof(double));
        allocated.ShouldBeLessThan(17L * 1024 * 1024);
    }

    [Test]
    public void Thousand_histogram_series_of_13_buckets_at_180_points_take_under_22_MiB()
    {
        var registry = new MetricRegistry();
        var histograms = registry.CreateHistogramFamily("latency_seconds", "Latency.", ["route"], HistogramBuckets.Exponential(0.001, 2.5, 12));
        for (var series = 0; series < 1_000; series++)
        {
            histograms.WithLabels($"/route/{series}").Observe(0.1);
        }

        var allocated = AllocatedWhileFilling(registry);

        // (16 + 8·B)·N per histogram series with B = 13 buckets counting +Inf: 21,600 bytes at N = 180.
        TestContext.Out.WriteLine($"1,000 histogram series, 13 buckets, N = {Capacity}: {allocated:N0} bytes ({allocated / 1_000.0:N0} per series)");
        allocated.ShouldBeGreaterThan(1_000L * (16 + (8 * 13)) * Capacity);
        allocated.ShouldBeLessThan(22L * 1024 * 1024);
    }

    [Test]
    public void Thousand_native_histogram_series_of_12_buckets_at_180_points_take_their_documented_room()
    {
        var registry = new MetricRegistry();
        var histograms = registry.CreateNativeHistogramFamily("latency_seconds", "Latency.", ["route"]);
        for (var series = 0; series < 1_000; series++)
        {
            var histogram = histograms.WithLabels($"/route/{series}");
            for (var bucket = 0; bucket < 12; bucket++)
            {
                histogram.Observe(0.001 * Math.Pow(2.5, bucket));
            }
        }

        var allocated = AllocatedWhileFilling(registry);

        // (52 + 12·R)·N per native-only series, R the room per point: the first point's 12 populated buckets (room
        // starts at the larger of 8 and what the first point needs) at N = 180 make 35,280 bytes; plus the per-series
        // bookkeeping and the histogram's own reusable read buffers, well under 8 KiB.
        TestContext.Out.WriteLine($"1,000 native histogram series, 12 buckets, N = {Capacity}: {allocated:N0} bytes ({allocated / 1_000.0:N0} per series)");
        allocated.ShouldBeGreaterThan(1_000L * (52 + (12 * 12)) * Capacity);
        allocated.ShouldBeLessThan(1_000L * (((52 + (12 * 12)) * Capacity) + 8192));
    }

    private static long AllocatedWhileFilling(MetricRegistry registry)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        using var history = new MetricHistory(registry, new MetricHistoryOptions { Capacity = Capacity });
        for (var i = 0; i < Capacity; i++)
        {
            history.Sample();
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
