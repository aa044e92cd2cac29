using Microsoft.Extensions.Time.Testing;

namespace Metrics.Tests.History;

/// <summary>
/// Windowed quantiles of native histograms. Every expected value is worked out by hand from the schema's definition
/// (bucket i at schema s covers (2^((i-1)/2^s), 2^(i/2^s)]) and histogram_quantile's linear interpolation inside the
/// bucket that holds the rank q × count.
/// </summary>
public sealed class NativeHistogramHistoryTests : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    // A bucket factor of 2 gives schema 0: buckets (0.5, 1], (1, 2], (2, 4], (4, 8], (8, 16] are indexes 0 to 4.
    private const double SchemaZeroFactor = 2;

    private FakeTimeProvider _clock = null!;
    private MetricRegistry _registry = null!;
    private MetricHistory _history = null!;

    [SetUp]
    public void CreateRegistry()
    {
        _clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        _registry = new MetricRegistry(new MetricRegistryOptions { TimeProvider = _clock });
        _history = new MetricHistory(_registry, new MetricHistoryOptions { Interval = Interval, Capacity = 5, Quantiles = [0.25, 0.5, 0.95] });
    }

    [TearDown]
    public void Dispose() => _history.Dispose();

    [Test]
    public void Native_quantiles_cover_only_the_observations_between_two_points()
    {
        var histogram = _registry.CreateNativeHistogram("latency_seconds", "Latency.", new NativeHistogramOptions { BucketFactor = SchemaZeroFactor });
        _history.Start();
        Observe(histogram, 3, 10);
        Observe(histogram, 6, 10);
        _clock.Advance(Interval);
        Observe(histogram, 0.75, 4);
        _clock.Advance(Interval);
        _clock.Advance(Interval);

        var series = Read("latency_seconds").Families[0].Series.ShouldHaveSingleItem();

        series.Rates.ShouldBe([double.NaN, 2, 0.4, 0]);
        series.Increase.ShouldBe(24);
        series.Averages.ShouldBe([double.NaN, 4.5, 0.75, double.NaN]);
        // Point 1: 10 in (2, 4] and 10 in (4, 8]. p25: rank 5 of the first 10, 2 + 2 × 5/10 = 3; p50: rank 10 tops it,
        // 4; p95: rank 19 is 9 into the second, 4 + 4 × 9/10 = 7.6.
        // Point 2: 4 in (0.5, 1]. p25: 0.5 + 0.5 × 1/4 = 0.625; p50: 0.5 + 0.5 × 2/4 = 0.75; p95: 0.5 + 0.5 × 3.8/4 = 0.975.
        // Point 3 saw nothing, and point 0 has no point before it.
        series.Quantiles!.Count.ShouldBe(3);
        series.Quantiles[0].ShouldBe([double.NaN, 3, 0.625, double.NaN]);
        series.Quantiles[1].ShouldBe([double.NaN, 4, 0.75, double.NaN]);
        series.Quantiles[2][0].ShouldBe(double.NaN);
        series.Quantiles[2][1].ShouldBe(7.6, 1e-12);
        series.Quantiles[2][2].ShouldBe(0.975, 1e-12);
        series.Quantiles[2][3].ShouldBe(double.NaN);
    }

    [Test]
    public void Negative_observations_and_the_zero_bucket_take_part_in_the_quantiles()
    {
        var histogram = _registry.CreateNativeHistogram("offset_seconds", "Offset.", new NativeHistogramOptions { BucketFactor = SchemaZeroFactor });
        _history.Start();
        Observe(histogram, -3, 2);
        Observe(histogram, 0, 4);
        Observe(histogram, 3, 2);
        _clock.Advance(Interval);

        var series = Read("offset_seconds").Families[0].Series.ShouldHaveSingleItem();

        // In Prometheus's order: 2 in [-4, -2), 4 in the zero bucket [-t, t], 2 in (2, 4]; count 8.
        // p25: rank 2 tops the negative bucket, -4 + 2 × 2/2 = -2. p50: rank 4 is 2 into the zero bucket's 4,
        // -t + 2t × 2/4 = 0. p95: rank 7.6 is 1.6 into (2, 4], 2 + 2 × 1.6/2 = 3.6.
        series.Quantiles![0][1].ShouldBe(-2);
        series.Quantiles[1][1].ShouldBe(0);
        series.Quantiles[2][1].ShouldBe(3.6, 1e-12);
        series.Averages![1].ShouldBe(0);
        series.Rates![1].ShouldBe(0.8);
    }

    [Test]
    public void Resolution_halved_between_two_points_maps_the_earlier_buckets_before_subtracting()
    {
        var histogram = _registry.CreateNativeHistogram("latency_seconds", "Latency.", new NativeHistogramOptions { BucketFactor = SchemaZeroFactor, MaxBucketCount = 2 });
        _history.Start();
        Observe(histogram, 3, 4);
        Observe(histogram, 6, 4);
        _clock.Advance(Interval);
        // A third bucket, (8, 16], is over the limit of 2: the histogram halves to schema -1, whose buckets are
        // (1, 4] and (4, 16], holding 4 and 4 + 2.
        Observe(histogram, 12, 2);
        Observe(histogram, 3, 2);
        _clock.Advance(Interval);

        var series = Read("latency_seconds").Families[0].Series.ShouldHaveSingleItem();

        // Point 1 in schema -1 terms is 4 in (1, 4] and 4 in (4, 16]; point 2 has 6 and 6, so the increase is 2 and 2.
        // p25: rank 1 of the first 2, 1 + 3 × 1/2 = 2.5; p50: rank 2 tops it, 4; p95: rank 3.8 is 1.8 into
        // (4, 16], 4 + 12 × 1.8/2 = 14.8.
        series.Rates.ShouldBe([double.NaN, 0.8, 0.4]);
        series.Quantiles![0][2].ShouldBe(2.5);
        series.Quantiles[1][2].ShouldBe(4);
        series.Quantiles[2][2].ShouldBe(14.8, 1e-12);
        series.Averages![2].ShouldBe(((2 * 12) + (2 * 3)) / 4.0);
    }

    [Test]
    public void Zero_bucket_widened_between_two_points_takes_in_the_earlier_buckets_below_it()
    {
        var histogram = _registry.CreateNativeHistogram(
            "latency_seconds", "Latency.", new NativeHistogramOptions { BucketFactor = SchemaZeroFactor, MaxBucketCount = 2, MaxZeroThreshold = 4 });
        _history.Start();
        Observe(histogram, 1.5, 3);
        Observe(histogram, 3, 3);
        _clock.Advance(Interval);
        // A third bucket, (4, 8], is over the limit: the zero bucket widens to the closest bucket's bound, 2, and takes
        // its 3 observations; the next two of 1.5 fall in the zero bucket too.
        Observe(histogram, 6, 1);
        Observe(histogram, 1.5, 2);
        _clock.Advance(Interval);

        var series = Read("latency_seconds").Families[0].Series.ShouldHaveSingleItem();

        // Point 1 with a zero threshold of 2 is 3 in the zero bucket and 3 in (2, 4]; point 2 has 5, 3 and 1 in (4, 8].
        // The increase is 2 in the zero bucket, which has no negative buckets beside it so starts at 0, and 1 in (4, 8].
        // p25: rank 0.75, 2 × 0.75/2 = 0.75; p50: rank 1.5, 2 × 1.5/2 = 1.5; p95: rank 2.85 is 0.85 into (4, 8], 7.4.
        series.Rates.ShouldBe([double.NaN, 0.6, 0.3]);
        series.Quantiles![0][2].ShouldBe(0.75);
        series.Quantiles[1][2].ShouldBe(1.5);
        series.Quantiles[2][2].ShouldBe(7.4, 1e-12);
    }

    [Test]
    public void Reset_by_the_bucket_limit_makes_the_new_counts_the_increase_even_when_the_count_grew()
    {
        var histogram = _registry.CreateNativeHistogram(
            "latency_seconds", "Latency.", new NativeHistogramOptions { BucketFactor = SchemaZeroFactor, MaxBucketCount = 2, MinResetDuration = TimeSpan.FromSeconds(15) });
        _history.Start();
        Observe(histogram, 3, 4);
        Observe(histogram, 6, 4);
        _clock.Advance(Interval);
        _clock.Advance(Interval);
        // 20 seconds after creation, a third bucket resets the histogram instead of reducing it: it starts over with
        // the 9 observations of 12, one more than the 8 it had.
        Observe(histogram, 12, 9);
        _clock.Advance(Interval);

        var series = Read("latency_seconds").Families[0].Series.ShouldHaveSingleItem();

        // The increase is the new counts, 9 in (8, 16]: p25 = 8 + 8 × 2.25/9 = 10, p50 = 8 + 8 × 4.5/9 = 12,
        // p95 = 8 + 8 × 8.55/9 = 15.6. The count's difference alone would have said 1.
        series.Rates.ShouldBe([double.NaN, 0.8, 0, 0.9]);
        series.Increase.ShouldBe(17);
        series.Quantiles![0][3].ShouldBe(10);
        series.Quantiles[1][3].ShouldBe(12);
        series.Quantiles[2][3].ShouldBe(15.6, 1e-12);
        series.Averages![3].ShouldBe(12);
    }

    [Test]
    public void Sum_by_a_label_adds_series_of_different_schemas_at_the_coarser_one()
    {
        var family = _registry.CreateNativeHistogramFamily(
            "latency_seconds", "Latency.", ["provider", "region"], new NativeHistogramOptions { BucketFactor = SchemaZeroFactor, MaxBucketCount = 2 });
        var a = family.WithLabels("a", "eu");
        var b = family.WithLabels("b", "eu");
        _history.Start();
        // Series a: 3 in (2, 4] and 6 in (4, 8], then 12 is over the limit and halves it to schema -1: 1 in (1, 4]
        // and 3 in (4, 16]. Series b stays at schema 0: 2 in (0.5, 1] and 2 in (1, 2].
        a.Observe(3);
        a.Observe(6);
        Observe(a, 12, 2);
        Observe(b, 0.75, 2);
        Observe(b, 1.5, 2);
        _clock.Advance(Interval);

        var summed = _history.ReadSince([new HistorySelector("latency_seconds", ["region"])], -1).Families[0].Series.ShouldHaveSingleItem();

        // At schema -1, b's buckets become (0.25, 1] and (1, 4]: the sum is 2 in (0.25, 1], 3 in (1, 4], 3 in (4, 16].
        // p25: rank 2 tops the first, 1; p50: rank 4 is 2 into (1, 4], 1 + 3 × 2/3 = 3; p95: rank 7.6 is 2.6 into
        // (4, 16], 4 + 12 × 2.6/3 = 14.4.
        summed.LabelValues.ShouldBe(["eu"]);
        summed.Rates.ShouldBe([double.NaN, 0.8]);
        summed.Quantiles![0][1].ShouldBe(1);
        summed.Quantiles[1][1].ShouldBe(3);
        summed.Quantiles[2][1].ShouldBe(14.4, 1e-12);
        summed.Averages![1].ShouldBe((3 + 6 + 24 + 1.5 + 3) / 8);
    }

    [Test]
    public void Histogram_with_classic_buckets_keeps_its_classic_quantiles()
    {
        var histogram = _registry.CreateNativeHistogram("latency_seconds", "Latency.", new NativeHistogramOptions { ClassicBuckets = [1, 2, 4] });
        _history.Start();
        Observe(histogram, 3, 10);
        Observe(histogram, 1.5, 10);
        _clock.Advance(Interval);

        var series = Read("latency_seconds").Families[0].Series.ShouldHaveSingleItem();

        // Classic, by hand: cumulative 0, 10, 20 of 20 over le 1, 2, 4. p25: rank 5 of (1, 2], 1.5; p50: rank 10 tops
        // it, 2; p95: rank 19 is 9 into (2, 4], 3.8. The native buckets (schema 3) would put 1.5 in (1.4142, 1.5422].
        series.Quantiles![0][1].ShouldBe(1.5);
        series.Quantiles[1][1].ShouldBe(2);
        series.Quantiles[2][1].ShouldBe(3.8, 1e-12);
    }

    [Test]
    public void Warm_sampler_tick_over_a_native_histogram_allocates_nothing()
    {
        var histogram = _registry.CreateNativeHistogram("latency_seconds", "Latency.");
        for (var i = 1; i <= 40; i++)
        {
            histogram.Observe(i * 0.01);
        }

        for (var i = 0; i < 10; i++)
        {
            _history.Sample();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            histogram.Observe(((i % 40) + 1) * 0.01);
            _history.Sample();
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).ShouldBe(0);
        _history.Read([new HistorySelector("latency_seconds")], Interval).Families[0].Series.ShouldHaveSingleItem().Increase.ShouldBe(1);
    }

    private HistoryReading Read(string family) => _history.ReadSince([new HistorySelector(family)], -1);

    private static void Observe(NativeHistogram histogram, double value, int times)
    {
        for (var i = 0; i < times; i++)
        {
            histogram.Observe(value);
        }
    }
}
