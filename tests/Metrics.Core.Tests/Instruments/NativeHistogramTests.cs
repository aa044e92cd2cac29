using System.Globalization;
using Microsoft.Extensions.Time.Testing;

namespace Metrics.Tests.Instruments;

public sealed class NativeHistogramTests
{
    // Bucket factor 2 gives schema 0: bucket i holds (2^(i-1), 2^i].
    private static readonly NativeHistogramOptions SchemaZero = new() { BucketFactor = 2 };

    private const long StartMilliseconds = 1_700_000_000_000;

    [Test]
    public void Native_only_histogram_shows_the_inf_bucket_sum_and_count_in_text()
    {
        var registry = new MetricRegistry();
        var histogram = registry.CreateNativeHistogram("latency_seconds", "Latency.", SchemaZero);
        histogram.Observe(0.25);
        histogram.Observe(3);

        ExpositionText.Of(registry).ShouldBe(
            "# HELP latency_seconds Latency.\n" +
            "# TYPE latency_seconds histogram\n" +
            "latency_seconds_bucket{le=\"+Inf\"} 2\n" +
            "latency_seconds_sum 3.25\n" +
            "latency_seconds_count 2\n");
    }

    [Test]
    public void Native_only_histogram_in_OpenMetrics_dates_its_created_sample_from_the_latest_reset()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(StartMilliseconds));
        var registry = new MetricRegistry(new MetricRegistryOptions { TimeProvider = clock, EnableCreatedSamples = true });
        var histogram = registry.CreateNativeHistogram(
            "latency_seconds", "Latency.", new NativeHistogramOptions { BucketFactor = 2, MaxBucketCount = 1, MinResetDuration = TimeSpan.FromMinutes(1) });
        histogram.Observe(1);
        clock.Advance(TimeSpan.FromSeconds(90));
        // Bucket (2, 4] does not fit beside (0.5, 1]: the limit resets the histogram, 90 s after its creation.
        histogram.Observe(4);

        ExpositionText.Of(registry, ExpositionFormat.OpenMetrics).ShouldBe(
            "# TYPE latency_seconds histogram\n" +
            "# HELP latency_seconds Latency.\n" +
            "latency_seconds_bucket{le=\"+Inf\"} 1\n" +
            "latency_seconds_count 1\n" +
            "latency_seconds_sum 4\n" +
            "latency_seconds_created 1.70000009e+09\n" +
            "# EOF\n");
    }

    [Test]
    public void Histogram_exposed_both_ways_shows_its_classic_buckets_in_text_and_keeps_native_buckets()
    {
        var registry = new MetricRegistry();
        var histogram = registry.CreateNativeHistogram(
            "latency_seconds", "Latency.", new NativeHistogramOptions { BucketFactor = 2, ClassicBuckets = [0.5, 2] });
        foreach (var value in new[] { 0.25, 1, 3, 3 })
        {
            histogram.Observe(value);
        }

        ExpositionText.Of(registry).ShouldBe(
            "# HELP latency_seconds Latency.\n" +
            "# TYPE latency_seconds histogram\n" +
            "latency_seconds_bucket{le=\"0.5\"} 1\n" +
            "latency_seconds_bucket{le=\"2\"} 2\n" +
            "latency_seconds_bucket{le=\"+Inf\"} 4\n" +
            "latency_seconds_sum 7.25\n" +
            "latency_seconds_count 4\n");
        histogram.ClassicUpperBounds.ShouldBe([0.5, 2]);
        var read = NativeHistogramRead.Of(histogram);
        read.Schema.ShouldBe(0);
        read.Count.ShouldBe(4);
        read.Sum.ShouldBe(7.25);
        read.Positive.ShouldBe([new NativeBucket(-2, 1), new NativeBucket(0, 1), new NativeBucket(2, 2)]);
        read.ClassicCounts.ShouldBe([1L, 2, 4]);
        read.ClassicSum.ShouldBe(7.25);
    }

    [Test]
    public void Labeled_family_keeps_native_buckets_per_label_set()
    {
        var registry = new MetricRegistry();
        var family = registry.CreateNativeHistogramFamily("latency_seconds", "Latency.", ["route"], SchemaZero);
        family.WithLabels("/a").Observe(1);
        family.WithLabels("/b").Observe(8);
        family.WithLabels("/b").Observe(8);

        NativeHistogramRead.Of(family.WithLabels("/a")).Positive.ShouldBe([new NativeBucket(0, 1)]);
        NativeHistogramRead.Of(family.WithLabels("/b")).Positive.ShouldBe([new NativeBucket(3, 2)]);
        ExpositionText.Of(registry).ShouldBe(
            "# HELP latency_seconds Latency.\n" +
            "# TYPE latency_seconds histogram\n" +
            "latency_seconds_bucket{route=\"/a\",le=\"+Inf\"} 1\n" +
            "latency_seconds_sum{route=\"/a\"} 1\n" +
            "latency_seconds_count{route=\"/a\"} 1\n" +
            "latency_seconds_bucket{route=\"/b\",le=\"+Inf\"} 2\n" +
            "latency_seconds_sum{route=\"/b\"} 16\n" +
            "latency_seconds_count{route=\"/b\"} 2\n");
    }

    [Test]
    public void NaN_is_ignored_and_negative_values_count_in_negative_buckets()
    {
        var histogram = new MetricRegistry().CreateNativeHistogram("offset_seconds", "Offset.", SchemaZero);
        histogram.Observe(double.NaN);
        histogram.Observe(-3);
        histogram.Observe(-0.75);
        histogram.Observe(0);
        histogram.Observe(double.NaN, new Exemplar("trace_id", "nan"));

        var read = NativeHistogramRead.Of(histogram);

        read.Count.ShouldBe(3);
        read.ZeroCount.ShouldBe(1);
        read.Sum.ShouldBe(-3.75);
        read.Positive.ShouldBeEmpty();
        read.Negative.ShouldBe([new NativeBucket(0, 1), new NativeBucket(2, 1)]);
        read.Exemplars.ShouldBeEmpty();
    }

    [Test]
    public void Exemplars_go_to_the_native_ring_and_to_the_classic_bucket_they_fall_in()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(StartMilliseconds));
        var registry = new MetricRegistry(new MetricRegistryOptions { TimeProvider = clock });
        var histogram = registry.CreateNativeHistogram(
            "latency_seconds", "Latency.", new NativeHistogramOptions { BucketFactor = 2, MaxExemplars = 2, ClassicBuckets = [1] });
        histogram.Observe(0.5, new Exemplar("trace_id", "a"));
        clock.Advance(TimeSpan.FromSeconds(1));
        histogram.Observe(3, new Exemplar("trace_id", "b"));
        clock.Advance(TimeSpan.FromSeconds(1));
        histogram.Observe(5, new Exemplar("trace_id", "c"));

        var read = NativeHistogramRead.Of(histogram);

        read.Exemplars.Select(e => (e.Labels[0].Value, e.Value, e.Timestamp))
            .ShouldBe([("b", 3.0, 1_700_000_001.0), ("c", 5.0, 1_700_000_002.0)]);
        ExpositionText.Of(registry, ExpositionFormat.OpenMetrics).ShouldBe(
            "# TYPE latency_seconds histogram\n" +
            "# HELP latency_seconds Latency.\n" +
            "latency_seconds_bucket{le=\"1.0\"} 1 # {trace_id=\"a\"} 0.5 1700000000\n" +
            "latency_seconds_bucket{le=\"+Inf\"} 3 # {trace_id=\"c\"} 5.0 1700000002\n" +
            "latency_seconds_count 3\n" +
            "latency_seconds_sum 8.5\n" +
            "# EOF\n");
    }

    [Test]
    public void Native_count_equals_zero_bucket_plus_every_bucket_in_every_read_taken_during_four_writers()
    {
        var registry = new MetricRegistry();
        var histogram = registry.CreateNativeHistogram("latency_seconds", "Latency.", SchemaZero);
        double[] values = [0, 0.25, -0.5, 1, 2, -4, 100, 0.75];
        var reads = 0;
        var writersDone = 0;
        var scraper = new Thread(() =>
        {
            while (Volatile.Read(ref writersDone) == 0)
            {
                var read = NativeHistogramRead.Of(histogram);
                read.Count.ShouldBe(read.ZeroCount + read.Positive.Sum(b => b.Count) + read.Negative.Sum(b => b.Count));
                RenderedInfBucketEqualsCount(registry);
                reads++;
            }
        });
        scraper.Start();

        Concurrently.Run(4, thread =>
        {
            for (var i = 0; i < 250_000; i++)
            {
                histogram.Observe(values[(i + thread) % values.Length]);
            }
        });
        Volatile.Write(ref writersDone, 1);
        scraper.Join();

        reads.ShouldBeGreaterThan(0);
        var final = NativeHistogramRead.Of(histogram);
        final.Count.ShouldBe(1_000_000);
        final.ZeroCount.ShouldBe(125_000);
        // Each value is observed 125,000 times; every partial sum is an exact binary fraction.
        final.Sum.ShouldBe(125_000 * 99.5);
        final.Positive.ShouldBe([new NativeBucket(-2, 125_000), new NativeBucket(0, 250_000), new NativeBucket(1, 125_000), new NativeBucket(7, 125_000)]);
        final.Negative.ShouldBe([new NativeBucket(-1, 125_000), new NativeBucket(2, 125_000)]);
    }

    [Test]
    public void Histogram_exposed_both_ways_never_reads_a_classic_bucket_above_the_native_count_during_four_writers()
    {
        // The protobuf format carries one sample_count for both views, and a classic scraper takes it for the +Inf
        // bucket: a classic bucket above it would make the buckets fall at +Inf.
        var histogram = new MetricRegistry().CreateNativeHistogram(
            "latency_seconds", "Latency.", new NativeHistogramOptions { BucketFactor = 2, ClassicBuckets = [0.5, 1, 2] });
        double[] values = [0.25, 0.75, 1.5, 3];
        var reads = 0;
        var writersDone = 0;
        Exception? scraperFailure = null;
        var scraper = new Thread(() =>
        {
            try
            {
                while (Volatile.Read(ref writersDone) == 0)
                {
                    var read = NativeHistogramRead.Of(histogram);
                    read.ClassicCounts[^1].ShouldBeLessThanOrEqualTo(read.Count, $"read {reads}: classic +Inf against the native count");
                    reads++;
                }
            }
            catch (Exception ex)
            {
                scraperFailure = ex;
            }
        });
        scraper.Start();

        Concurrently.Run(4, thread =>
        {
            for (var i = 0; i < 250_000; i++)
            {
                histogram.Observe(values[(i + thread) & 3]);
            }
        });
        Volatile.Write(ref writersDone, 1);
        scraper.Join();

        scraperFailure.ShouldBeNull();
        reads.ShouldBeGreaterThan(0);
        var final = NativeHistogramRead.Of(histogram);
        final.Count.ShouldBe(1_000_000);
        final.ClassicCounts.ShouldBe([250_000L, 500_000L, 750_000L, 1_000_000L]);
        final.Sum.ShouldBe(250_000 * 5.5);
        final.ClassicSum.ShouldBe(250_000 * 5.5);
    }

    [Test]
    public void Snapshot_quantiles_come_from_native_buckets_without_classic_ones_and_from_classic_buckets_with_them()
    {
        var registry = new MetricRegistry();
        var native = registry.CreateNativeHistogram("native_seconds", "Native.", SchemaZero);
        var dual = registry.CreateNativeHistogram("dual_seconds", "Dual.", new NativeHistogramOptions { BucketFactor = 2, ClassicBuckets = [10] });
        foreach (var value in new[] { 1.0, 1, 3, 3 })
        {
            native.Observe(value);
            dual.Observe(value);
        }

        var snapshot = registry.Collect();
        var nativeSnapshot = snapshot.Find("native_seconds")!.Series[0].Histogram!;
        var dualSnapshot = snapshot.Find("dual_seconds")!.Series[0].Histogram!;

        // Native buckets (0.5, 1] and (2, 4] hold two each: rank 2 ends the first, rank 3 is halfway through the second.
        nativeSnapshot.Quantile(0.5).ShouldBe(1.0);
        nativeSnapshot.Quantile(0.75).ShouldBe(3.0);
        nativeSnapshot.UpperBounds.ShouldBe([double.PositiveInfinity]);
        // The classic bucket (0, 10] holds all four: rank 2 is halfway through it.
        dualSnapshot.Quantile(0.5).ShouldBe(5.0);
        HistogramSnapshot.Add([nativeSnapshot]).Quantile(0.5).ShouldBe(1.0);
        // Without native buckets, the +Inf bucket alone gives NaN, as in PromQL.
        new HistogramSnapshot([double.PositiveInfinity], [4], 8).Quantile(0.5).ShouldBe(double.NaN);
    }

    [Test]
    public void Native_only_histograms_add_at_the_coarsest_schema_as_PromQL_sums_them()
    {
        var registry = new MetricRegistry();
        var fine = registry.CreateNativeHistogram("fine_seconds", "Schema 0.", SchemaZero);
        var coarse = registry.CreateNativeHistogram("coarse_seconds", "Schema -1.", new NativeHistogramOptions { BucketFactor = 4 });
        // Schema 0: 1 in (0.5, 1], 3 and 3 in (2, 4]. Schema -1: 16 in (4, 16].
        fine.Observe(1);
        fine.Observe(3);
        fine.Observe(3);
        coarse.Observe(16);

        var snapshot = registry.Collect();
        var total = HistogramSnapshot.Add([snapshot.Find("fine_seconds")!.Series[0].Histogram!, snapshot.Find("coarse_seconds")!.Series[0].Histogram!]);

        total.Count.ShouldBe(4);
        total.Sum.ShouldBe(23);
        // At schema -1 the buckets are (0.25, 1]: 1, (1, 4]: 2 and (4, 16]: 1. Rank 2 is halfway through (1, 4].
        total.Quantile(0.5).ShouldBe(2.5);
        // Rank 3.6 is 60% through (4, 16].
        total.Quantile(0.9).ShouldBe(4 + (12 * 0.6), 1e-12);
    }

    [Test]
    public void Adding_native_only_histograms_raises_a_zero_threshold_that_falls_inside_a_populated_bucket_as_PromQL_does()
    {
        var registry = new MetricRegistry();
        var wide = registry.CreateNativeHistogram("wide_seconds", "Zero bucket up to 1.5.", new NativeHistogramOptions { BucketFactor = 2, ZeroThreshold = 1.5 });
        var narrow = registry.CreateNativeHistogram("narrow_seconds", "Default zero bucket.", SchemaZero);
        // Wide: 0.5 in its zero bucket. Narrow: 1.2 in (1, 2] and 3 in (2, 4].
        wide.Observe(0.5);
        narrow.Observe(1.2);
        narrow.Observe(3);

        var snapshot = registry.Collect();
        var total = HistogramSnapshot.Add([snapshot.Find("wide_seconds")!.Series[0].Histogram!, snapshot.Find("narrow_seconds")!.Series[0].Histogram!]);

        // The threshold 1.5 falls inside the populated (1, 2], so PromQL's sum raises it to 2 and that bucket joins
        // the zero bucket: 2 in [0, 2] (no negative buckets), 1 in (2, 4]. Rank 1.5 is 75% through the zero bucket.
        total.Quantile(0.5).ShouldBe(1.5);
        // Rank 2.7 is 70% through (2, 4].
        total.Quantile(0.9).ShouldBe(2 + (2 * 0.7), 1e-12);
    }

    [Test]
    public void Registering_again_returns_the_family_only_with_the_same_native_settings_and_classic_buckets()
    {
        var registry = new MetricRegistry();
        var first = registry.CreateNativeHistogramFamily("latency_seconds", "Latency.", [], new NativeHistogramOptions { ClassicBuckets = [1, 2] });

        registry.CreateNativeHistogramFamily("latency_seconds", "Latency.", [], new NativeHistogramOptions { ClassicBuckets = [1, 2] }).ShouldBeSameAs(first);
        Should.Throw<InvalidOperationException>(() => registry.CreateNativeHistogramFamily(
                "latency_seconds", "Latency.", [], new NativeHistogramOptions { BucketFactor = 2, ClassicBuckets = [1, 2] }))
            .Message.ShouldBe(
                "Metric 'latency_seconds' is already registered with native buckets of schema 3, zero threshold 2.938735877055719E-39, at most 160 buckets, " +
                "minimum reset duration 00:00:00, maximum zero threshold 0, 10 exemplars; it cannot be registered again with native buckets of schema 0, " +
                "zero threshold 2.938735877055719E-39, at most 160 buckets, minimum reset duration 00:00:00, maximum zero threshold 0, 10 exemplars.");
        Should.Throw<InvalidOperationException>(() => registry.CreateNativeHistogram("latency_seconds", "Latency."))
            .Message.ShouldBe("Metric 'latency_seconds' is already registered with buckets [1, 2]; it cannot be registered again with buckets [].");
        Should.Throw<InvalidOperationException>(() => registry.CreateHistogram("latency_seconds", "Latency.", [1, 2]))
            .Message.ShouldBe("Metric 'latency_seconds' is already registered as a native histogram; it cannot be registered again as a histogram.");
    }

    [Test]
    public void Invalid_settings_throw_naming_the_value_and_the_rule()
    {
        var registry = new MetricRegistry();

        Should.Throw<ArgumentOutOfRangeException>(() => registry.CreateNativeHistogram("a_seconds", "A.", new NativeHistogramOptions { MaxBucketCount = 0 }))
            .Message.ShouldStartWith("Invalid native histogram bucket limit 0: it must be between 1 and 16384.");
        Should.Throw<ArgumentException>(() => registry.CreateNativeHistogram("b_seconds", "B.", new NativeHistogramOptions { ClassicBuckets = [2, 1] }))
            .ParamName.ShouldBe("native");
        Should.Throw<ArgumentException>(() => registry.CreateNativeHistogramFamily("c_seconds", "C.", ["le"]))
            .Message.ShouldStartWith("Invalid label name 'le': it is reserved for the bucket bounds of histograms.");
        registry.Families.ShouldBeEmpty();
    }

    private static void RenderedInfBucketEqualsCount(MetricRegistry registry)
    {
        long inf = -1, count = -2;
        foreach (var line in ExpositionText.Of(registry).Split('\n'))
        {
            if (line.StartsWith("latency_seconds_bucket{le=\"+Inf\"} ", StringComparison.Ordinal))
            {
                inf = long.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("latency_seconds_count ", StringComparison.Ordinal))
            {
                count = long.Parse(line["latency_seconds_count ".Length..], CultureInfo.InvariantCulture);
            }
        }

        count.ShouldBe(inf);
    }
}
