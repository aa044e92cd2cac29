namespace Metrics.Tests.Instruments;

public sealed class CallbackCounterTests
{
    [Test]
    public void Callback_counter_is_rendered_as_a_counter_with_the_total_read_at_scrape()
    {
        var registry = new MetricRegistry();
        var total = 41L;
        registry.CreateCallbackCounter("cache_hits", "Cache hits.", () => total);
        total = 42;

        ExpositionText.Of(registry).ShouldBe("# HELP cache_hits_total Cache hits.\n# TYPE cache_hits_total counter\ncache_hits_total 42\n");
        ExpositionText.Of(registry, ExpositionFormat.OpenMetrics)
            .ShouldBe("# TYPE cache_hits counter\n# HELP cache_hits Cache hits.\ncache_hits_total 42\n# EOF\n");
    }

    [Test]
    public void Callback_counter_value_is_the_latest_collected_total()
    {
        var registry = new MetricRegistry();
        var total = 0.0;
        var counter = registry.CreateCallbackCounter("bytes_sent_total", "Bytes sent.", () => total);
        counter.Value.ShouldBe(double.NaN);

        total = 1.5;
        registry.Collect().Find("bytes_sent_total")!.Series[0].Value.ShouldBe(1.5);
        counter.Value.ShouldBe(1.5);
        counter.Family.Type.ShouldBe(MetricType.Counter);
    }

    [TestCase(-1.0)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void Callback_counter_with_an_invalid_total_is_left_out_and_counted_as_a_scrape_error(double invalid)
    {
        var registry = new MetricRegistry();
        registry.CreateCallbackCounter("jobs_total", "Jobs.", () => invalid);

        const string Errors = "# HELP metrics_scrape_errors_total Failures of collection callbacks; the scrape went on without them.\n"
            + "# TYPE metrics_scrape_errors_total counter\nmetrics_scrape_errors_total ";
        ExpositionText.Of(registry).ShouldBe(Errors + "1\n");
        ExpositionText.Of(registry).ShouldBe(Errors + "2\n");
    }

    [Test]
    public void Callback_counter_that_throws_is_left_out_while_other_series_render()
    {
        var registry = new MetricRegistry();
        registry.CreateCallbackCounter("broken_total", "Broken.", () => throw new InvalidOperationException("source gone"));
        registry.CreateCallbackGauge("healthy", "Healthy.", () => 3);

        var snapshot = registry.Collect();

        snapshot.Find("broken_total")!.Series.ShouldBeEmpty();
        snapshot.Find("healthy")!.Series[0].Value.ShouldBe(3);
        snapshot.Find("metrics_scrape_errors_total")!.Series[0].Value.ShouldBe(1);
    }

    [Test]
    public void Registering_the_same_callback_counter_again_returns_it_and_another_callback_throws()
    {
        var registry = new MetricRegistry();
        Func<double> callback = () => 1;
        var counter = registry.CreateCallbackCounter("retries", "Retries.", callback);

        registry.CreateCallbackCounter("retries_total", "Retries.", callback).ShouldBeSameAs(counter);
        Should.Throw<InvalidOperationException>(() => registry.CreateCallbackCounter("retries", "Retries.", () => 2))
            .Message.ShouldBe("Metric 'retries_total' is already registered as a callback counter with another callback.");
        Should.Throw<InvalidOperationException>(() => registry.CreateCounter("retries", "Retries."))
            .Message.ShouldBe("Metric 'retries_total' is already registered as a callback counter; it cannot be registered again as an integer counter.");
    }

    [Test]
    public void Callback_gauge_registered_again_with_another_callback_names_its_kind()
    {
        var registry = new MetricRegistry();
        registry.CreateCallbackGauge("healthy", "Healthy.", () => 1);

        Should.Throw<InvalidOperationException>(() => registry.CreateCallbackGauge("healthy", "Healthy.", () => 2))
            .Message.ShouldBe("Metric 'healthy' is already registered as a callback gauge with another callback.");
    }

    [Test]
    public void Labeled_callback_counters_share_one_family_in_registration_order()
    {
        var registry = new MetricRegistry();
        registry.CreateCallbackCounter("gc_total", "Collections.", ["generation"], ["0"], () => 7);
        registry.CreateCallbackCounter("gc_total", "Collections.", ["generation"], ["1"], () => 2);

        ExpositionText.Of(registry).ShouldBe(
            "# HELP gc_total Collections.\n# TYPE gc_total counter\ngc_total{generation=\"0\"} 7\ngc_total{generation=\"1\"} 2\n");
    }
}
