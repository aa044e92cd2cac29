using System.Diagnostics;
using System.Text;

namespace Metrics.Tests.Instruments;

public class HistogramTests
{
    [Test]
    public void Observations_land_in_the_first_bucket_whose_bound_is_not_below_them()
    {
        var histogram = new MetricRegistry().CreateHistogram("latency_seconds", "Latency.", [0.1, 0.5, 1]);

        foreach (var value in new[] { -3, 0.05, 0.1, 0.2, 0.5, 0.5000001, 1, 7, double.PositiveInfinity })
        {
            histogram.Observe(value);
        }

        var snapshot = Snapshot(histogram);
        snapshot.UpperBounds.ShouldBe([0.1, 0.5, 1, double.PositiveInfinity]);
        snapshot.CumulativeCounts.ShouldBe([3L, 5L, 7L, 9L]);
        snapshot.Count.ShouldBe(9);
    }

    [Test]
    public void NaN_observations_are_ignored()
    {
        var histogram = new MetricRegistry().CreateHistogram("latency_seconds", "Latency.", [1]);

        histogram.Observe(0.5);
        histogram.Observe(double.NaN);

        var snapshot = Snapshot(histogram);
        snapshot.Count.ShouldBe(1);
        snapshot.Sum.ShouldBe(0.5);
    }

    [TestCase(1)]
    [TestCase(3)]
    [TestCase(16)]
    [TestCase(32)]
    [TestCase(33)]
    [TestCase(128)]
    public void Every_bucket_search_places_values_as_a_linear_scan_does(int boundCount)
    {
        var bounds = HistogramBuckets.Linear(1, 1, boundCount);
        var histogram = new MetricRegistry().CreateHistogram("size_bytes", "Sizes.", bounds);
        var expected = new long[bounds.Length + 1];
        foreach (var value in PlacementValues(boundCount))
        {
            histogram.Observe(value);
            var bucket = 0;
            while (bucket < bounds.Length && value > bounds[bucket])
            {
                bucket++;
            }

            expected[bucket]++;
        }

        for (var i = 1; i < expected.Length; i++)
        {
            expected[i] += expected[i - 1];
        }

        Snapshot(histogram).CumulativeCounts.ShouldBe(expected);
    }

    private static IEnumerable<double> PlacementValues(int boundCount)
    {
        yield return double.NegativeInfinity;
        yield return double.MaxValue;
        yield return double.PositiveInfinity;
        for (var value = -0.5; value <= boundCount + 2; value += 0.25)
        {
            yield return value;
        }
    }

    [Test]
    public void Timer_observes_elapsed_seconds()
    {
        var histogram = new MetricRegistry().CreateHistogram("work_seconds", "Work.", [0.001, 10]);
        var start = Stopwatch.GetTimestamp();

        using (histogram.StartTimer())
        {
            Thread.Sleep(20);
        }

        var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var snapshot = Snapshot(histogram);
        snapshot.Count.ShouldBe(1);
        snapshot.CumulativeCounts[0].ShouldBe(0);
        snapshot.Sum.ShouldBeInRange(0.015, elapsed);
    }

    [Test]
    public void Histogram_count_and_sum_are_exact_under_four_concurrent_writers()
    {
        var histogram = new MetricRegistry().CreateHistogram("payload_kb", "Payloads.", [0.5, 1, 2, 4]);
        double[] values = [0.25, 0.5, 1, 2, 4, 100, 0.75, 3];

        Concurrently.Run(4, thread =>
        {
            for (var i = 0; i < 250_000; i++)
            {
                histogram.Observe(values[(i + thread) % values.Length]);
            }
        });

        var snapshot = Snapshot(histogram);
        snapshot.Count.ShouldBe(1_000_000);
        // Each value is observed 125,000 times; every partial sum is an exact binary fraction.
        snapshot.Sum.ShouldBe(125_000 * (0.25 + 0.5 + 1 + 2 + 4 + 100 + 0.75 + 3));
        snapshot.CumulativeCounts.ShouldBe([250_000L, 500_000L, 625_000L, 875_000L, 1_000_000L]);
    }

    [Test]
    public void Histogram_count_equals_inf_bucket_in_every_scrape_taken_during_concurrent_writes()
    {
        var registry = new MetricRegistry();
        var histogram = registry.CreateHistogram("latency_seconds", "Latency.", HistogramBuckets.Default);
        var scrapes = 0;
        var writersDone = 0;

        var scraper = new Thread(() =>
        {
            while (Volatile.Read(ref writersDone) == 0)
            {
                var snapshot = registry.Collect().Find("latency_seconds")!.Series[0].Histogram!;
                AssertConsistent(snapshot.CumulativeCounts, snapshot.Count);
                AssertConsistent(RenderedBuckets(registry, out var renderedCount), renderedCount);
                scrapes++;
            }
        });
        scraper.Start();
        Concurrently.Run(4, thread =>
        {
            for (var i = 0; i < 250_000; i++)
            {
                histogram.Observe(((i * 7) + thread) % 13 * 0.9);
            }
        });
        Volatile.Write(ref writersDone, 1);
        scraper.Join();

        scrapes.ShouldBeGreaterThan(0);
        Snapshot(histogram).Count.ShouldBe(1_000_000);
    }

    private static void AssertConsistent(IReadOnlyList<long> cumulative, long count)
    {
        for (var i = 1; i < cumulative.Count; i++)
        {
            cumulative[i].ShouldBeGreaterThanOrEqualTo(cumulative[i - 1]);
        }

        count.ShouldBe(cumulative[^1]);
    }

    private static List<long> RenderedBuckets(MetricRegistry registry, out long count)
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        MetricsExposition.Write(registry, ExpositionFormat.PrometheusText, output);
        var buckets = new List<long>();
        count = -1;
        foreach (var line in Encoding.UTF8.GetString(output.WrittenSpan).Split('\n'))
        {
            if (line.StartsWith("latency_seconds_bucket", StringComparison.Ordinal))
            {
                buckets.Add(long.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
            }
            else if (line.StartsWith("latency_seconds_count ", StringComparison.Ordinal))
            {
                count = long.Parse(line["latency_seconds_count ".Length..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        buckets.Count.ShouldBe(HistogramBuckets.Default.Count + 1);
        return buckets;
    }

    private static HistogramSnapshot Snapshot(Histogram histogram) =>
        histogram.Family.Registry.Collect().Find(histogram.Family.Name)!.Series[0].Histogram!;
}
