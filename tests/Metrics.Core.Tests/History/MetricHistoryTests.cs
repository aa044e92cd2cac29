using Microsoft.Extensions.Time.Testing;

namespace Metrics.Tests.History;

public sealed class MetricHistoryTests : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private static readonly double[] Bounds = [1, 2, 4];

    private FakeTimeProvider _clock = null!;
    private MetricRegistry _registry = null!;
    private MetricHistory _history = null!;

    [SetUp]
    public void CreateRegistry()
    {
        _clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        _registry = new MetricRegistry(new MetricRegistryOptions { TimeProvider = _clock });
        _history = new MetricHistory(_registry, new MetricHistoryOptions { Interval = Interval, Capacity = 5 });
    }

    [TearDown]
    public void Dispose() => _history.Dispose();

    [Test]
    public void Defaults_are_a_10_second_interval_and_180_points()
    {
        using var history = new MetricHistory(_registry);

        history.Interval.ShouldBe(TimeSpan.FromSeconds(10));
        history.Capacity.ShouldBe(180);
        history.LastSequence.ShouldBe(-1);
    }

    [Test]
    public void Interval_below_one_second_is_rejected_with_the_minimum()
    {
        var error = Should.Throw<ArgumentOutOfRangeException>(() => new MetricHistory(_registry, new MetricHistoryOptions { Interval = TimeSpan.FromMilliseconds(999) }));

        error.ParamName.ShouldBe("options");
        error.Message.ShouldContain("MetricHistoryOptions.Interval must be at least 00:00:01");
    }

    [Test]
    public void Capacity_below_two_points_is_rejected()
    {
        var error = Should.Throw<ArgumentOutOfRangeException>(() => new MetricHistory(_registry, new MetricHistoryOptions { Capacity = 1 }));

        error.Message.ShouldContain("Capacity must be at least 2");
    }

    [Test]
    public void Quantiles_are_the_configured_ones_in_their_order()
    {
        using var history = new MetricHistory(_registry, new MetricHistoryOptions { Interval = Interval, Quantiles = [0.25, 0.75] });
        var histogram = _registry.CreateHistogram("latency_seconds", "Latency.", Bounds);
        history.Sample();
        Observe(histogram, 0.5, 10);
        Observe(histogram, 1.5, 20);
        Observe(histogram, 3, 10);
        _clock.Advance(Interval);
        history.Sample();

        var series = history.Read([new HistorySelector("latency_seconds")], TimeSpan.FromHours(1)).Families[0].Series.ShouldHaveSingleItem();

        history.Quantiles.ShouldBe([0.25, 0.75]);
        // Cumulative 10, 30, 40 of 40 over le 1, 2, 4: rank 10 tops the first bucket, rank 30 the second.
        series.Quantiles!.Count.ShouldBe(2);
        series.Quantiles[0].ShouldBe([double.NaN, 1]);
        series.Quantiles[1].ShouldBe([double.NaN, 2]);
    }

    [TestCase(new double[0])]
    [TestCase(new[] { 0.5, 0.5 })]
    [TestCase(new[] { 0.9, 0.5 })]
    [TestCase(new[] { -0.1 })]
    [TestCase(new[] { 1.5 })]
    [TestCase(new[] { double.NaN })]
    public void Quantiles_outside_0_to_1_or_not_increasing_are_rejected(double[] quantiles)
    {
        var error = Should.Throw<ArgumentException>(() => new MetricHistory(_registry, new MetricHistoryOptions { Quantiles = quantiles }));

        error.ParamName.ShouldBe("options");
        error.Message.ShouldStartWith("MetricHistoryOptions.Quantiles [");
        error.Message.ShouldContain("is invalid: give at least one quantile, each between 0 and 1 and each greater than the one before, such as 0.5, 0.95, 0.99.");
    }

    [Test]
    public void Start_samples_at_once_and_then_every_interval_of_the_clock()
    {
        _registry.CreateCounter("requests", "Requests.");

        _history.Start();
        _history.LastSequence.ShouldBe(0);
        _clock.Advance(Interval - TimeSpan.FromTicks(1));
        _history.LastSequence.ShouldBe(0);
        _clock.Advance(TimeSpan.FromTicks(1));
        _history.LastSequence.ShouldBe(1);
        Tick(2);

        var reading = Read("requests_total");
        reading.Timestamps.ShouldBe([.. Enumerable.Range(0, 4).Select(i => _clock.Start + (Interval * i))]);
    }

    [Test]
    public void Dispose_stops_the_timer_and_keeps_the_points()
    {
        _registry.CreateCounter("requests", "Requests.");
        _history.Start();
        _clock.Advance(Interval);

        _history.Dispose();
        Tick(3);

        _history.LastSequence.ShouldBe(1);
        Read("requests_total").Timestamps.Count.ShouldBe(2);
        Should.Throw<ObjectDisposedException>(_history.Start);
    }

    [Test]
    public void Counter_rate_is_the_increase_per_second_between_points()
    {
        var counter = _registry.CreateCounter("requests", "Requests.");
        _history.Start();
        counter.Inc(50);
        _clock.Advance(Interval);
        counter.Inc(20);
        _clock.Advance(Interval);

        var series = Read("requests_total").Families[0].Series.ShouldHaveSingleItem();

        series.Rates.ShouldBe([double.NaN, 5, 2]);
        series.Increase.ShouldBe(70);
        series.Values.ShouldBeNull();
        series.Quantiles.ShouldBeNull();
    }

    [Test]
    public void Counter_that_drops_restarted_and_its_new_value_is_the_increase()
    {
        var totals = new Queue<double>([100, 160, 30, 45]);
        _registry.CreateCallbackCounter("cpu_seconds", "CPU.", () => totals.Dequeue());
        _history.Start();
        Tick(3);

        var series = Read("cpu_seconds_total").Families[0].Series.ShouldHaveSingleItem();

        series.Rates.ShouldBe([double.NaN, 6, 3, 1.5]);
        series.Increase.ShouldBe(105);
    }

    [Test]
    public void Gauge_values_are_kept_per_point()
    {
        var gauge = _registry.CreateGauge("queue_length", "Queue.");
        gauge.Set(3);
        _history.Start();
        gauge.Set(-1.5);
        _clock.Advance(Interval);
        gauge.Set(8);
        _clock.Advance(Interval);

        var series = Read("queue_length").Families[0].Series.ShouldHaveSingleItem();

        series.Values.ShouldBe([3, -1.5, 8]);
        series.Rates.ShouldBeNull();
        series.Increase.ShouldBe(double.NaN);
    }

    [Test]
    public void Histogram_quantiles_and_average_cover_only_the_observations_between_two_points()
    {
        var histogram = _registry.CreateHistogram("latency_seconds", "Latency.", Bounds);
        _history.Start();
        Observe(histogram, 0.5, 10);
        _clock.Advance(Interval);
        Observe(histogram, 3, 10);
        Observe(histogram, 1.5, 10);
        _clock.Advance(Interval);
        _clock.Advance(Interval);

        var series = Read("latency_seconds").Families[0].Series.ShouldHaveSingleItem();

        series.Rates.ShouldBe([double.NaN, 1, 2, 0]);
        series.Increase.ShouldBe(30);
        // Second window, by hand: cumulative 0, 10, 20 of 20 over le 1, 2, 4; the median tops the second bucket, and
        // p95 and p99 interpolate 9 and 9.8 of the third bucket's 10 observations between 2 and 4.
        series.Quantiles!.Count.ShouldBe(3);
        series.Quantiles[0].ShouldBe([double.NaN, 0.5, 2, double.NaN]);
        series.Quantiles[1].ShouldBe([double.NaN, 0.95, 3.8, double.NaN]);
        series.Quantiles[2][2].ShouldBe(3.96, 1e-12);
        series.Averages.ShouldBe([double.NaN, 0.5, 2.25, double.NaN]);
    }

    [Test]
    public void Summary_has_an_observation_rate_and_windowed_average()
    {
        var summary = _registry.CreateSummary("job_seconds", "Jobs.");
        _history.Start();
        summary.Observe(2);
        summary.Observe(4);
        _clock.Advance(Interval);

        var series = Read("job_seconds").Families[0].Series.ShouldHaveSingleItem();

        series.Rates.ShouldBe([double.NaN, 0.2]);
        series.Averages.ShouldBe([double.NaN, 3]);
        series.Quantiles.ShouldBeNull();
    }

    [Test]
    public void Series_created_between_points_counts_from_zero()
    {
        var family = _registry.CreateCounterFamily("requests", "Requests.", ["route"]);
        family.WithLabels("/a").Inc(5);
        _history.Start();
        _clock.Advance(TimeSpan.FromSeconds(4));
        family.WithLabels("/b").Inc(30);
        _clock.Advance(Interval - TimeSpan.FromSeconds(4));

        var series = Read("requests_total").Families[0].Series;

        series.Select(s => s.LabelValues[0]).ShouldBe(["/a", "/b"]);
        series[0].Rates.ShouldBe([double.NaN, 0]);
        series[1].Rates.ShouldBe([double.NaN, 3]);
    }

    [Test]
    public void Callback_counter_that_appears_later_has_no_rate_at_its_first_point()
    {
        _registry.CreateCounter("requests", "Requests.");
        _history.Start();
        _registry.CreateCallbackCounter("io_bytes", "IO.", () => 1_000_000);
        _clock.Advance(Interval);
        _clock.Advance(Interval);

        Read("io_bytes_total").Families[0].Series.ShouldHaveSingleItem().Rates.ShouldBe([double.NaN, double.NaN, 0]);
    }

    [Test]
    public void Series_absent_at_a_point_is_NaN_there_and_its_rate_resumes_after_two_present_points()
    {
        var failing = false;
        var total = 0.0;
        _registry.CreateCallbackCounter("jobs", "Jobs.", () => failing ? throw new InvalidOperationException("down") : total);
        _history.Start();
        total = 10;
        _clock.Advance(Interval);
        failing = true;
        _clock.Advance(Interval);
        failing = false;
        total = 30;
        _clock.Advance(Interval);
        total = 40;
        _clock.Advance(Interval);

        Read("jobs_total").Families[0].Series.ShouldHaveSingleItem().Rates.ShouldBe([double.NaN, 1, double.NaN, double.NaN, 1]);
    }

    [Test]
    public void Series_absent_from_every_point_held_is_forgotten()
    {
        var family = _registry.CreateCounterFamily("requests", "Requests.", ["route"], new FamilyOptions { ExpireAfter = TimeSpan.FromSeconds(15) });
        family.WithLabels("/a").Inc();
        family.WithLabels("/b").Inc();
        _history.Start();
        _history.SeriesCount.ShouldBe(2);

        for (var i = 0; i < 8; i++)
        {
            family.WithLabels("/b").Inc();
            _clock.Advance(Interval);
        }

        _history.SeriesCount.ShouldBe(1);
        Read("requests_total").Families[0].Series.ShouldHaveSingleItem().LabelValues.ShouldBe(["/b"]);
    }

    [Test]
    public void Ring_keeps_the_last_capacity_points_with_their_sequence_numbers()
    {
        var counter = _registry.CreateCounter("requests", "Requests.");
        _history.Start();
        for (var i = 1; i <= 6; i++)
        {
            counter.Inc(i * 10);
            _clock.Advance(Interval);
        }

        var reading = _history.ReadSince([new HistorySelector("requests_total")], -1);

        reading.FirstSequence.ShouldBe(2);
        reading.LastSequence.ShouldBe(6);
        reading.Timestamps[0].ShouldBe(_clock.Start + (Interval * 2));
        reading.Families[0].Series[0].Rates.ShouldBe([double.NaN, 3, 4, 5, 6]);
    }

    [Test]
    public void Window_reads_the_points_that_cover_it()
    {
        var counter = _registry.CreateCounter("requests", "Requests.");
        _history.Start();
        counter.Inc(10);
        _clock.Advance(Interval);
        counter.Inc(20);
        _clock.Advance(Interval);

        _history.Read([new HistorySelector("requests_total")], TimeSpan.FromSeconds(10)).Families[0].Series[0].Rates.ShouldBe([2]);
        _history.Read([new HistorySelector("requests_total")], TimeSpan.FromSeconds(11)).Families[0].Series[0].Rates.ShouldBe([1, 2]);
        _history.Read([new HistorySelector("requests_total")], TimeSpan.FromHours(1)).FirstSequence.ShouldBe(0);
    }

    [Test]
    public void ReadSince_returns_only_newer_points_with_rates_from_the_point_before()
    {
        var counter = _registry.CreateCounter("requests", "Requests.");
        _history.Start();
        counter.Inc(10);
        _clock.Advance(Interval);
        counter.Inc(40);
        _clock.Advance(Interval);

        var reading = _history.ReadSince([new HistorySelector("requests_total")], 1);
        reading.FirstSequence.ShouldBe(2);
        reading.Timestamps.ShouldBe([_clock.Start + (Interval * 2)]);
        reading.Families[0].Series[0].Rates.ShouldBe([4]);

        var nothingNew = _history.ReadSince([new HistorySelector("requests_total")], 2);
        nothingNew.Timestamps.ShouldBeEmpty();
        nothingNew.LastSequence.ShouldBe(2);
        nothingNew.Families[0].Series.ShouldBeEmpty();
    }

    [Test]
    public void Sum_by_a_label_adds_the_rates_of_the_series_that_share_its_value()
    {
        var family = _registry.CreateCounterFamily("tokens", "Tokens.", ["provider", "model"]);
        _history.Start();
        family.WithLabels("openai", "gpt").Inc(100);
        family.WithLabels("openai", "mini").Inc(50);
        family.WithLabels("anthropic", "claude").Inc(30);
        _clock.Advance(Interval);

        var byProvider = _history.ReadSince([new HistorySelector("tokens_total", ["provider"])], -1).Families[0];
        var total = _history.ReadSince([new HistorySelector("tokens_total", [])], -1).Families[0];

        byProvider.LabelNames.ShouldBe(["provider"]);
        byProvider.By.ShouldBe(["provider"]);
        byProvider.Series.Select(s => (s.LabelValues[0], s.Rates![1], s.Increase)).ShouldBe([("openai", 15.0, 150.0), ("anthropic", 3.0, 30.0)]);
        total.Series.ShouldHaveSingleItem().LabelValues.ShouldBeEmpty();
        total.Series[0].Rates.ShouldBe([double.NaN, 18]);
    }

    [Test]
    public void Sum_by_of_histograms_estimates_quantiles_from_the_summed_bucket_increases()
    {
        var family = _registry.CreateHistogramFamily("latency_seconds", "Latency.", ["provider"], Bounds);
        _history.Start();
        Observe(family.WithLabels("a"), 0.5, 30);
        Observe(family.WithLabels("b"), 3, 10);
        _clock.Advance(Interval);

        var summed = _history.ReadSince([new HistorySelector("latency_seconds", [])], -1).Families[0].Series.ShouldHaveSingleItem();

        // By hand: cumulative 30, 30, 40 of 40 over le 1, 2, 4.
        summed.Quantiles![0][1].ShouldBe(2.0 / 3, 1e-12);
        summed.Quantiles[1][1].ShouldBe(3.6, 1e-12);
        summed.Quantiles[2][1].ShouldBe(3.92, 1e-12);
        summed.Averages![1].ShouldBe((15 + 30) / 40.0);
    }

    [Test]
    public void Sum_of_gauges_adds_the_present_values()
    {
        var family = _registry.CreateGaugeFamily("circuit_state", "Circuits.", ["provider"]);
        family.WithLabels("a").Set(1);
        family.WithLabels("b").Set(2);
        _history.Start();

        _history.ReadSince([new HistorySelector("circuit_state", [])], -1).Families[0].Series[0].Values.ShouldBe([3]);
    }

    [Test]
    public void Unknown_family_and_unknown_label_are_rejected_by_name()
    {
        _registry.CreateCounterFamily("requests", "Requests.", ["route"]);

        Should.Throw<ArgumentException>(() => Read("requests")).Message.ShouldStartWith("Unknown metric family 'requests'");
        Should.Throw<ArgumentException>(() => _history.ReadSince([new HistorySelector("requests_total", ["status"])], -1))
            .Message.ShouldStartWith("Metric 'requests_total' has no label 'status' to sum by; its labels are [route].");
        Should.Throw<ArgumentOutOfRangeException>(() => _history.Read([new HistorySelector("requests_total")], TimeSpan.Zero));
    }

    [Test]
    public void Known_family_before_the_first_sample_reads_as_no_points()
    {
        _registry.CreateCounter("requests", "Requests.");

        var reading = Read("requests_total");

        reading.Timestamps.ShouldBeEmpty();
        reading.Families[0].Name.ShouldBe("requests_total");
        reading.Families[0].Type.ShouldBe(MetricType.Counter);
        reading.Families[0].Series.ShouldBeEmpty();
    }

    [Test]
    public void Increases_add_up_to_the_exact_total_while_writers_race_the_sampler()
    {
        var counter = _registry.CreateCounter("requests", "Requests.");
        var histogram = _registry.CreateHistogram("latency_seconds", "Latency.", Bounds);
        using var history = new MetricHistory(_registry, new MetricHistoryOptions { Interval = Interval, Capacity = 100_000 });
        history.Sample();
        var running = 4;
        var sampler = new Thread(() =>
        {
            while (Volatile.Read(ref running) > 0)
            {
                _clock.Advance(TimeSpan.FromSeconds(1));
                history.Sample();
                Thread.Sleep(1);
            }
        });
        sampler.Start();

        Concurrently.Run(4, _ =>
        {
            for (var i = 0; i < 100_000; i++)
            {
                counter.Inc();
                histogram.Observe(1.5);
            }

            Interlocked.Decrement(ref running);
        });
        sampler.Join();
        _clock.Advance(TimeSpan.FromSeconds(1));
        history.Sample();

        history.LastSequence.ShouldBeGreaterThan(1);
        var reading = history.ReadSince([new HistorySelector("requests_total"), new HistorySelector("latency_seconds")], -1);
        reading.Families[0].Series[0].Increase.ShouldBe(400_000);
        reading.Families[1].Series[0].Increase.ShouldBe(400_000);
    }

    // One interval at a time: a fake clock moved further at once fires each due timer callback at the final time.
    private void Tick(int intervals)
    {
        for (var i = 0; i < intervals; i++)
        {
            _clock.Advance(Interval);
        }
    }

    private HistoryReading Read(string family) => _history.ReadSince([new HistorySelector(family)], -1);

    private static void Observe(Histogram histogram, double value, int times)
    {
        for (var i = 0; i < times; i++)
        {
            histogram.Observe(value);
        }
    }
}
