using Microsoft.Extensions.Time.Testing;

namespace Metrics.Tests.Instruments;

public sealed class SummaryTests
{
    private static readonly SummaryOptions TenSecondWindow = new()
    {
        Objectives = new Dictionary<double, double> { [0.5] = 0.05, [0.9] = 0.01 },
        MaxAge = TimeSpan.FromSeconds(10),
        AgeBuckets = 5,
    };

    [Test]
    public void Summary_window_forgets_observations_older_than_max_age_but_count_and_sum_keep_them()
    {
        var time = new FakeTimeProvider();
        var summary = Create(time, TenSecondWindow);
        ObserveMany(summary, 1.0, 1000);
        Snapshot(summary);
        time.Advance(TimeSpan.FromSeconds(5));
        ObserveMany(summary, 100.0, 500);
        Snapshot(summary);

        // At 9 s the oldest age bucket still covers both phases; at 11 s it starts at 2 s; at 16 s at 6 s.
        time.Advance(TimeSpan.FromSeconds(4));
        var both = Snapshot(summary);
        both.ValueOf(0.5).ShouldBe(1.0);
        both.ValueOf(0.9).ShouldBe(100.0);

        time.Advance(TimeSpan.FromSeconds(2));
        var recent = Snapshot(summary);
        recent.ValueOf(0.5).ShouldBe(100.0);
        recent.ValueOf(0.9).ShouldBe(100.0);

        time.Advance(TimeSpan.FromSeconds(5));
        var expired = Snapshot(summary);
        expired.ValueOf(0.5).ShouldBe(double.NaN);
        expired.ValueOf(0.9).ShouldBe(double.NaN);
        expired.Count.ShouldBe(1500);
        expired.Sum.ShouldBe(51_000);
    }

    [Test]
    public void Summary_window_forgets_observations_never_collected_before_they_expired()
    {
        var time = new FakeTimeProvider();
        var summary = Create(time, TenSecondWindow);
        ObserveMany(summary, 3.0, 100);

        time.Advance(TimeSpan.FromMinutes(30));
        var snapshot = Snapshot(summary);

        snapshot.ValueOf(0.5).ShouldBe(double.NaN);
        snapshot.Count.ShouldBe(100);
        snapshot.Sum.ShouldBe(300);
    }

    [Test]
    public void Summary_quantiles_include_every_observation_made_before_a_collection()
    {
        // Errors this tight keep 1,000 observations exact, so one chunk of 64 lost on its way to the window would
        // move both quantiles.
        var summary = Create(new FakeTimeProvider(), new SummaryOptions { Objectives = new Dictionary<double, double> { [0.5] = 0.0004, [0.99] = 0.0004 } });
        for (var value = 1; value <= 1000; value++)
        {
            summary.Observe(value);
        }

        var snapshot = Snapshot(summary);
        snapshot.ValueOf(0.5).ShouldBe(500);
        snapshot.ValueOf(0.99).ShouldBe(990);
    }

    [Test]
    public void Summary_quantiles_are_NaN_before_the_first_observation()
    {
        var snapshot = Snapshot(Create(new FakeTimeProvider(), TenSecondWindow));

        snapshot.Quantiles.ShouldBe([0.5, 0.9]);
        snapshot.Values.ShouldBe([double.NaN, double.NaN]);
        snapshot.Count.ShouldBe(0);
        snapshot.Sum.ShouldBe(0);
    }

    [Test]
    public void Summary_ignores_NaN_observations()
    {
        var summary = Create(new FakeTimeProvider(), TenSecondWindow);
        summary.Observe(2);
        summary.Observe(double.NaN);
        summary.Observe(4);

        var snapshot = Snapshot(summary);
        snapshot.Count.ShouldBe(2);
        snapshot.Sum.ShouldBe(6);
        snapshot.ValueOf(0.5).ShouldBe(2);
    }

    [Test]
    public void Summary_without_objectives_keeps_only_count_and_sum()
    {
        var summary = Create(new FakeTimeProvider(), null);
        summary.Observe(1.5);
        summary.Observe(2.5);

        summary.Quantiles.ShouldBeEmpty();
        var snapshot = Snapshot(summary);
        snapshot.Values.ShouldBeEmpty();
        snapshot.Count.ShouldBe(2);
        snapshot.Sum.ShouldBe(4);
    }

    [Test]
    public void Summary_count_and_sum_are_exact_under_concurrent_writers_and_collections()
    {
        const int Writers = 4;
        const int PerWriter = 250_000;
        var summary = Create(new FakeTimeProvider(), TenSecondWindow);
        using var start = new Barrier(Writers + 1);
        var writers = new Thread[Writers];
        for (var w = 0; w < Writers; w++)
        {
            writers[w] = new Thread(() =>
            {
                start.SignalAndWait();
                for (var i = 0; i < PerWriter; i++)
                {
                    summary.Observe(i % 10);
                }
            });
            writers[w].Start();
        }

        start.SignalAndWait();
        var lastCount = 0L;
        while (writers.Any(writer => writer.IsAlive))
        {
            var count = Snapshot(summary).Count;
            count.ShouldBeGreaterThanOrEqualTo(lastCount);
            lastCount = count;
        }

        foreach (var writer in writers)
        {
            writer.Join();
        }

        var final = Snapshot(summary);
        final.Count.ShouldBe(Writers * PerWriter);
        final.Sum.ShouldBe(Writers * (PerWriter / 10) * 45.0);
        // Values 0..9 equally often: ranks 50% and 90% end the runs of 4 and 8, so the errors allow the next value too.
        final.ValueOf(0.5).ShouldBeInRange(4, 5);
        final.ValueOf(0.9).ShouldBeInRange(8, 9);
    }

    [Test]
    public void Summary_kept_handle_of_an_expired_series_comes_back_with_its_count_and_sum()
    {
        var time = new FakeTimeProvider();
        var registry = new MetricRegistry(new MetricRegistryOptions { TimeProvider = time });
        var family = registry.CreateSummaryFamily("rpc_seconds", "RPCs.", ["method"], TenSecondWindow, new FamilyOptions { ExpireAfter = TimeSpan.FromMinutes(1) });
        var summary = family.WithLabels("get");
        summary.Observe(2);
        registry.Collect();
        time.Advance(TimeSpan.FromMinutes(1));
        registry.Collect().Find("rpc_seconds")!.Series.ShouldBeEmpty();

        summary.Observe(4);

        var restored = registry.Collect().Find("rpc_seconds")!.Find("get")!.Summary!;
        restored.Count.ShouldBe(2);
        restored.Sum.ShouldBe(6);
        restored.ValueOf(0.9).ShouldBe(4);
        family.WithLabels("get").ShouldBeSameAs(summary);
    }

    [Test]
    public void Summary_observed_between_scrapes_never_expires()
    {
        var time = new FakeTimeProvider();
        var registry = new MetricRegistry(new MetricRegistryOptions { TimeProvider = time });
        var summary = registry.CreateSummaryFamily("rpc_seconds", "RPCs.", ["method"], null, new FamilyOptions { ExpireAfter = TimeSpan.FromSeconds(10) })
            .WithLabels("get");

        for (var scrape = 1; scrape <= 5; scrape++)
        {
            summary.Observe(1);
            time.Advance(TimeSpan.FromSeconds(30));
            registry.Collect().Find("rpc_seconds")!.Find("get")!.Summary!.Count.ShouldBe(scrape);
        }
    }

    [Test]
    public void Summary_snapshot_value_is_its_count()
    {
        var summary = Create(new FakeTimeProvider(), TenSecondWindow);
        summary.Observe(10);
        summary.Observe(20);

        var series = summary.Family.Registry.Collect().Find(summary.Family.Name)!.Series[0];
        series.Value.ShouldBe(2);
        series.Histogram.ShouldBeNull();
        series.Summary!.Count.ShouldBe(2);
    }

    [Test]
    public void Summary_snapshot_rejects_a_quantile_it_does_not_estimate()
    {
        var snapshot = Snapshot(Create(new FakeTimeProvider(), TenSecondWindow));

        Should.Throw<ArgumentException>(() => snapshot.ValueOf(0.75)).Message.ShouldStartWith(
            "The summary does not estimate quantile 0.75; it estimates [0.5, 0.9].");
    }

    private static Summary Create(FakeTimeProvider time, SummaryOptions? options)
    {
        var registry = new MetricRegistry(new MetricRegistryOptions { TimeProvider = time });
        return registry.CreateSummary("work_seconds", "Work under test.", options);
    }

    private static void ObserveMany(Summary summary, double value, int times)
    {
        for (var i = 0; i < times; i++)
        {
            summary.Observe(value);
        }
    }

    private static SummarySnapshot Snapshot(Summary summary) =>
        summary.Family.Registry.Collect().Find(summary.Family.Name)!.Series[0].Summary!;
}
