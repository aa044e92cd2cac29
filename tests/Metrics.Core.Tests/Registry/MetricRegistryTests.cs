namespace Metrics.Tests.Registry;

public class MetricRegistryTests
{
    [Test]
    public void Registering_the_same_shape_again_returns_the_existing_family()
    {
        var registry = new MetricRegistry();
        var family = registry.CreateHistogramFamily("latency_seconds", "Latency.", ["route"], [0.1, 1]);

        registry.CreateHistogramFamily("latency_seconds", "Latency.", ["route"], [0.1, 1]).ShouldBeSameAs(family);
        registry.CreateCounter("requests", "Requests.").ShouldBeSameAs(registry.CreateCounter("requests_total", "Requests."));
        registry.Families.Count.ShouldBe(2);
    }

    [Test]
    public void Counter_names_always_end_in_total()
    {
        var registry = new MetricRegistry();

        registry.CreateCounter("requests", "Requests.").Family.Name.ShouldBe("requests_total");
        registry.CreateDoubleCounter("cpu_seconds_total", "CPU.").Family.Name.ShouldBe("cpu_seconds_total");
    }

    [Test]
    public void A_different_type_conflicts()
    {
        var registry = new MetricRegistry();
        registry.CreateGauge("queue", "Queue.");

        Should.Throw<InvalidOperationException>(() => registry.CreateHistogram("queue", "Queue."))
            .Message.ShouldBe("Metric 'queue' is already registered as a gauge; it cannot be registered again as a histogram.");
    }

    [Test]
    public void An_integer_and_a_double_counter_of_one_name_conflict()
    {
        var registry = new MetricRegistry();
        registry.CreateCounter("bytes_total", "Bytes.");

        Should.Throw<InvalidOperationException>(() => registry.CreateDoubleCounter("bytes_total", "Bytes."))
            .Message.ShouldBe("Metric 'bytes_total' is already registered as an integer counter; it cannot be registered again as a double counter.");
    }

    [Test]
    public void A_different_help_conflicts()
    {
        var registry = new MetricRegistry();
        registry.CreateCounter("requests_total", "Requests served.");

        Should.Throw<InvalidOperationException>(() => registry.CreateCounter("requests_total", "Requests."))
            .Message.ShouldBe("Metric 'requests_total' is already registered with help \"Requests served.\"; it cannot be registered again with help \"Requests.\".");
    }

    [Test]
    public void Different_label_names_conflict()
    {
        var registry = new MetricRegistry();
        registry.CreateCounterFamily("requests_total", "Requests.", ["route", "method"]);

        Should.Throw<InvalidOperationException>(() => registry.CreateCounterFamily("requests_total", "Requests.", ["method", "route"]))
            .Message.ShouldBe("Metric 'requests_total' is already registered with labels [route, method]; it cannot be registered again with labels [method, route].");
    }

    [Test]
    public void Different_buckets_conflict()
    {
        var registry = new MetricRegistry();
        registry.CreateHistogram("latency_seconds", "Latency.", [0.5, 1]);

        Should.Throw<InvalidOperationException>(() => registry.CreateHistogram("latency_seconds", "Latency.", [0.5, 1, 2.5]))
            .Message.ShouldBe("Metric 'latency_seconds' is already registered with buckets [0.5, 1]; it cannot be registered again with buckets [0.5, 1, 2.5].");
    }

    [Test]
    public void A_family_whose_samples_would_collide_with_another_family_conflicts()
    {
        var registry = new MetricRegistry();
        registry.CreateHistogram("latency", "Latency.");

        Should.Throw<InvalidOperationException>(() => registry.CreateGauge("latency_count", "Count."))
            .Message.ShouldBe("Metric 'latency_count' would write samples named 'latency_count', which metric 'latency' already writes.");
        registry.CreateCounter("jobs_total", "Jobs.");
        Should.Throw<InvalidOperationException>(() => registry.CreateGauge("jobs", "Jobs."))
            .Message.ShouldBe("Metric 'jobs' would write samples named 'jobs', which metric 'jobs_total' already writes.");
    }

    [Test]
    public void A_callback_gauge_registered_again_with_another_callback_conflicts()
    {
        var registry = new MetricRegistry();
        Func<double> callback = () => 1;
        var gauge = registry.CreateCallbackGauge("healthy", "Healthy.", callback);

        registry.CreateCallbackGauge("healthy", "Healthy.", callback).ShouldBeSameAs(gauge);
        Should.Throw<InvalidOperationException>(() => registry.CreateCallbackGauge("healthy", "Healthy.", () => 2))
            .Message.ShouldBe("Metric 'healthy' is already registered as a callback gauge with another callback.");
    }

    [Test]
    public void Registries_are_independent()
    {
        var first = new MetricRegistry();
        var second = new MetricRegistry();
        first.CreateCounter("requests_total", "Requests.").Inc(3);

        second.CreateGauge("requests_total", "Different type, different registry.").Set(1);

        first.Collect().Find("requests_total")!.Series[0].Value.ShouldBe(3);
        second.Collect().Find("requests_total")!.Type.ShouldBe(MetricType.Gauge);
    }

    [Test]
    public void A_throwing_before_collect_callback_is_isolated_and_counted()
    {
        var registry = new MetricRegistry();
        var gauge = registry.CreateGauge("pulled", "Pulled.");
        registry.AddBeforeCollectCallback(() => throw new InvalidOperationException("backend state unavailable"));
        registry.AddBeforeCollectCallback(() => gauge.Set(7));

        var first = ExpositionText.Of(registry);
        var second = ExpositionText.Of(registry);

        first.ShouldBe("""
            # HELP metrics_scrape_errors_total Failures of collection callbacks; the scrape went on without them.
            # TYPE metrics_scrape_errors_total counter
            metrics_scrape_errors_total 1
            # HELP pulled Pulled.
            # TYPE pulled gauge
            pulled 7

            """);
        second.ShouldContain("metrics_scrape_errors_total 2\n");
    }

    [Test]
    public void A_throwing_callback_gauge_is_left_out_and_counted_while_the_rest_renders()
    {
        var registry = new MetricRegistry();
        registry.CreateCallbackGauge("broken", "Broken.", () => throw new InvalidOperationException("boom"));
        registry.CreateCallbackGauge("working", "Working.", () => 2);

        ExpositionText.Of(registry).ShouldBe("""
            # HELP metrics_scrape_errors_total Failures of collection callbacks; the scrape went on without them.
            # TYPE metrics_scrape_errors_total counter
            metrics_scrape_errors_total 1
            # HELP working Working.
            # TYPE working gauge
            working 2

            """);
        registry.Collect().Find("broken")!.Series.ShouldBeEmpty();
    }

    [Test]
    public void A_removed_before_collect_callback_no_longer_runs()
    {
        var registry = new MetricRegistry();
        var runs = 0;
        var registration = registry.AddBeforeCollectCallback(() => runs++);
        registry.Collect();

        registration.Dispose();
        registry.Collect();

        runs.ShouldBe(1);
    }
}
