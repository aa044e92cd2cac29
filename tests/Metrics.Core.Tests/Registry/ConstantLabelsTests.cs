namespace Metrics.Tests.Registry;

public sealed class ConstantLabelsTests
{
    private static MetricRegistry Registry() => new(new MetricRegistryOptions
    {
        ConstantLabels = new Dictionary<string, string> { ["service"] = "api", ["region"] = "eu \"west\"" },
    });

    [Test]
    public void Constant_labels_follow_the_own_labels_of_every_series_in_text_format()
    {
        var registry = Registry();
        registry.CreateCounterFamily("requests", "Requests.", ["route"]).WithLabels("/a").Inc(2);
        registry.CreateGauge("depth", "Depth.").Set(1);
        registry.CreateHistogram("wait_seconds", "Wait.", [1]).Observe(0.5);

        ExpositionText.Of(registry).ShouldBe(
            "# HELP depth Depth.\n# TYPE depth gauge\ndepth{region=\"eu \\\"west\\\"\",service=\"api\"} 1\n"
            + "# HELP requests_total Requests.\n# TYPE requests_total counter\nrequests_total{route=\"/a\",region=\"eu \\\"west\\\"\",service=\"api\"} 2\n"
            + "# HELP wait_seconds Wait.\n# TYPE wait_seconds histogram\n"
            + "wait_seconds_bucket{region=\"eu \\\"west\\\"\",service=\"api\",le=\"1\"} 1\n"
            + "wait_seconds_bucket{region=\"eu \\\"west\\\"\",service=\"api\",le=\"+Inf\"} 1\n"
            + "wait_seconds_sum{region=\"eu \\\"west\\\"\",service=\"api\"} 0.5\n"
            + "wait_seconds_count{region=\"eu \\\"west\\\"\",service=\"api\"} 1\n");
    }

    [Test]
    public void Constant_labels_are_on_every_series_in_openmetrics()
    {
        var registry = Registry();
        registry.CreateCounterFamily("requests", "Requests.", ["route"]).WithLabels("/a").Inc(2);
        registry.CreateCallbackGauge("pool_size", "Pool size.", () => 4);

        ExpositionText.Of(registry, ExpositionFormat.OpenMetrics).ShouldBe(
            "# TYPE pool_size gauge\n# HELP pool_size Pool size.\npool_size{region=\"eu \\\"west\\\"\",service=\"api\"} 4\n"
            + "# TYPE requests counter\n# HELP requests Requests.\nrequests_total{route=\"/a\",region=\"eu \\\"west\\\"\",service=\"api\"} 2\n# EOF\n");
    }

    [Test]
    public void Snapshots_carry_constant_labels_after_the_familys_own()
    {
        var registry = Registry();
        registry.CreateCounterFamily("requests", "Requests.", ["route"]).WithLabels("/a").Inc(2);

        var family = registry.Collect().Find("requests_total")!;

        family.LabelNames.ShouldBe(["route", "region", "service"]);
        var series = family.Find("/a")!;
        family.Find("/a", "eu \"west\"", "api").ShouldBeSameAs(series);
        family.Find("/a", "eu").ShouldBeNull();
        series.LabelValues.ShouldBe(["/a", "eu \"west\"", "api"]);
        series["service"].ShouldBe("api");
        series.Value.ShouldBe(2);
    }

    [Test]
    public void Family_label_named_like_a_constant_label_is_rejected_naming_both()
    {
        var registry = Registry();

        var error = Should.Throw<ArgumentException>(() => registry.CreateGaugeFamily("depth", "Depth.", ["queue", "service"]));

        error.Message.ShouldBe(
            "Invalid label name 'service' for metric 'depth': the registry's constant label 'service' already gives every series that label. (Parameter 'labelNames')");
        registry.Families.ShouldBeEmpty();
    }

    [TestCase("bad-name", "Invalid label name 'bad-name': label names must match [a-zA-Z_][a-zA-Z0-9_]* and must not start with '__'. (Parameter 'options')")]
    [TestCase("__reserved", "Invalid label name '__reserved': label names must match [a-zA-Z_][a-zA-Z0-9_]* and must not start with '__'. (Parameter 'options')")]
    [TestCase("le", "Invalid constant label 'le': histograms and summaries write a label of that name on their own samples. (Parameter 'options')")]
    [TestCase("quantile", "Invalid constant label 'quantile': histograms and summaries write a label of that name on their own samples. (Parameter 'options')")]
    [TestCase("family", "Invalid constant label 'family': metric 'metrics_series_overflow_total', which every registry keeps, has a label of that name. (Parameter 'options')")]
    public void Invalid_constant_label_name_is_rejected_naming_it(string name, string message)
    {
        var options = new MetricRegistryOptions { ConstantLabels = new Dictionary<string, string> { [name] = "x" } };

        Should.Throw<ArgumentException>(() => new MetricRegistry(options)).Message.ShouldBe(message);
    }

    [Test]
    public void Constant_label_with_a_null_value_is_rejected()
    {
        var options = new MetricRegistryOptions { ConstantLabels = new Dictionary<string, string> { ["service"] = null! } };

        Should.Throw<ArgumentException>(() => new MetricRegistry(options)).Message
            .ShouldBe("Invalid constant label 'service': its value is null. (Parameter 'options')");
    }

    [Test]
    public void Later_changes_to_the_options_do_not_reach_the_registry()
    {
        var labels = new Dictionary<string, string> { ["service"] = "api" };
        var registry = new MetricRegistry(new MetricRegistryOptions { ConstantLabels = labels });
        labels["service"] = "changed";
        labels["zone"] = "b";

        registry.CreateGauge("depth", "Depth.").Set(1);

        ExpositionText.Of(registry).ShouldBe("# HELP depth Depth.\n# TYPE depth gauge\ndepth{service=\"api\"} 1\n");
    }
}
