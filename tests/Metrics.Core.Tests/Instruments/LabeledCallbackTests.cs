namespace Metrics.Tests.Instruments;

public sealed class LabeledCallbackTests
{
    [Test]
    public void Labeled_callback_gauges_report_one_series_per_label_set()
    {
        var registry = new MetricRegistry();
        var healthy = new Dictionary<string, double> { ["openai"] = 3, ["anthropic"] = 1 };
        foreach (var backend in healthy.Keys)
        {
            registry.CreateCallbackGauge("backends_healthy", "Healthy backends.", ["pool"], [backend], () => healthy[backend]);
        }

        healthy["anthropic"] = 2;

        ExpositionText.Of(registry).ShouldBe(
            "# HELP backends_healthy Healthy backends.\n# TYPE backends_healthy gauge\n"
            + "backends_healthy{pool=\"openai\"} 3\nbackends_healthy{pool=\"anthropic\"} 2\n");
    }

    [Test]
    public void Labeled_callback_counter_that_throws_is_left_out_alone_and_counted()
    {
        var registry = new MetricRegistry();
        registry.CreateCallbackCounter("bytes_sent", "Bytes sent.", ["peer"], ["a"], () => 100);
        registry.CreateCallbackCounter("bytes_sent", "Bytes sent.", ["peer"], ["b"], () => throw new InvalidOperationException("gone"));

        var snapshot = registry.Collect();

        var family = snapshot.Find("bytes_sent_total")!;
        family.Type.ShouldBe(MetricType.Counter);
        family.Series.Count.ShouldBe(1);
        family.Find("a")!.Value.ShouldBe(100);
        snapshot.Find("metrics_scrape_errors_total")!.Series[0].Value.ShouldBe(1);
    }

    [Test]
    public void Same_label_set_returns_the_same_series_for_the_same_callback_only()
    {
        var registry = new MetricRegistry();
        Func<double> callback = () => 1;
        var first = registry.CreateCallbackGauge("depth", "Depth.", ["queue"], ["mail"], callback);

        registry.CreateCallbackGauge("depth", "Depth.", ["queue"], ["mail"], callback).ShouldBeSameAs(first);
        Should.Throw<InvalidOperationException>(() => registry.CreateCallbackGauge("depth", "Depth.", ["queue"], ["mail"], () => 2)).Message
            .ShouldBe("Metric 'depth' with labels [mail] is already registered as a callback gauge with another callback.");
    }

    [Test]
    public void Callback_family_rejects_a_bare_label_lookup()
    {
        var registry = new MetricRegistry();
        var gauge = registry.CreateCallbackGauge("depth", "Depth.", ["queue"], ["mail"], () => 1);
        var family = (MetricFamily<CallbackGauge>)gauge.Family;

        Should.Throw<InvalidOperationException>(() => family.WithLabels("sms")).Message
            .ShouldBe("Metric 'depth' holds callback series, which are registered with their callback.");
    }

    [Test]
    public void Wrong_number_of_label_values_is_rejected()
    {
        var registry = new MetricRegistry();

        Should.Throw<ArgumentException>(() => registry.CreateCallbackGauge("depth", "Depth.", ["queue", "zone"], ["mail"], () => 1)).Message
            .ShouldBe("Metric 'depth' takes 2 label value(s), for [queue, zone], but 1 were given.");
    }
}
