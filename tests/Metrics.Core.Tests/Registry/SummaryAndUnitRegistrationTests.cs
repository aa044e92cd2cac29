namespace Metrics.Tests.Registry;

public sealed class SummaryAndUnitRegistrationTests
{
    private static readonly SummaryOptions Median = new() { Objectives = new Dictionary<double, double> { [0.5] = 0.05 } };

    [Test]
    public void Summary_family_rejects_the_reserved_quantile_label()
    {
        var error = Should.Throw<ArgumentException>(() => new MetricRegistry().CreateSummaryFamily("rpc_seconds", "RPCs.", ["quantile"], Median));

        error.ParamName.ShouldBe("labelNames");
        error.Message.ShouldStartWith("Invalid label name 'quantile': it is reserved for the quantiles of summaries.");
    }

    [Test]
    public void Quantile_is_an_ordinary_label_name_outside_summaries()
    {
        var family = new MetricRegistry().CreateGaugeFamily("configured_quantile", "Quantiles configured.", ["quantile"]);

        family.WithLabels("0.5").Set(1);
        family.LabelNames.ShouldBe(["quantile"]);
    }

    [TestCase(0.0, 0.01, "Invalid summary objective 0: a quantile must lie strictly between 0 and 1.")]
    [TestCase(1.0, 0.01, "Invalid summary objective 1: a quantile must lie strictly between 0 and 1.")]
    [TestCase(double.NaN, 0.01, "Invalid summary objective NaN: a quantile must lie strictly between 0 and 1.")]
    [TestCase(0.5, 0.0, "Invalid error 0 for summary objective 0.5: the allowed rank error must lie strictly between 0 and 1.")]
    [TestCase(0.5, -0.1, "Invalid error -0.1 for summary objective 0.5: the allowed rank error must lie strictly between 0 and 1.")]
    public void Summary_rejects_an_objective_outside_its_range_naming_it_and_the_rule(double quantile, double error, string message)
    {
        var options = new SummaryOptions { Objectives = new Dictionary<double, double> { [quantile] = error } };

        var thrown = Should.Throw<ArgumentException>(() => new MetricRegistry().CreateSummary("rpc_seconds", "RPCs.", options));

        thrown.ParamName.ShouldBe("summary");
        thrown.Message.ShouldStartWith(message);
    }

    [Test]
    public void Summary_rejects_a_window_that_is_not_positive_or_has_no_age_bucket()
    {
        Should.Throw<ArgumentException>(() => new MetricRegistry().CreateSummary("a_seconds", "A.", new SummaryOptions { MaxAge = TimeSpan.Zero }))
            .Message.ShouldStartWith("Invalid summary window 00:00:00: MaxAge must be positive.");
        Should.Throw<ArgumentException>(() => new MetricRegistry().CreateSummary("a_seconds", "A.", new SummaryOptions { AgeBuckets = 0 }))
            .Message.ShouldStartWith("Invalid summary age bucket count 0: AgeBuckets must be at least 1.");
    }

    [Test]
    public void Summary_registered_again_with_the_same_objectives_in_any_order_is_the_same_family()
    {
        var registry = new MetricRegistry();
        var first = registry.CreateSummaryFamily(
            "rpc_seconds", "RPCs.", ["method"], new SummaryOptions { Objectives = new Dictionary<double, double> { [0.9] = 0.01, [0.5] = 0.05 } });
        var second = registry.CreateSummaryFamily(
            "rpc_seconds", "RPCs.", ["method"], new SummaryOptions { Objectives = new Dictionary<double, double> { [0.5] = 0.05, [0.9] = 0.01 } });

        second.ShouldBeSameAs(first);
        first.Type.ShouldBe(MetricType.Summary);
    }

    [Test]
    public void Summary_registered_again_with_other_objectives_fails_naming_both()
    {
        var registry = new MetricRegistry();
        registry.CreateSummary("rpc_seconds", "RPCs.", Median);

        Should.Throw<InvalidOperationException>(() => registry.CreateSummary("rpc_seconds", "RPCs.", new SummaryOptions
        {
            Objectives = new Dictionary<double, double> { [0.5] = 0.01 },
            MaxAge = TimeSpan.FromMinutes(1),
        })).Message.ShouldBe(
            "Metric 'rpc_seconds' is already registered with objectives {0.5: 0.05} over 00:10:00 in 5 age buckets; it cannot be registered again with objectives {0.5: 0.01} over 00:01:00 in 5 age buckets.");
    }

    [Test]
    public void Summary_and_histogram_cannot_share_a_name_or_sample_names()
    {
        var registry = new MetricRegistry();
        registry.CreateSummary("rpc_seconds", "RPCs.", Median);

        Should.Throw<InvalidOperationException>(() => registry.CreateHistogram("rpc_seconds", "RPCs.")).Message.ShouldBe(
            "Metric 'rpc_seconds' is already registered as a summary; it cannot be registered again as a histogram.");
        Should.Throw<InvalidOperationException>(() => registry.CreateGauge("rpc_seconds_count", "Count.")).Message.ShouldBe(
            "Metric 'rpc_seconds_count' would write samples named 'rpc_seconds_count', which metric 'rpc_seconds' already writes.");
    }

    [Test]
    public void Unit_must_be_the_suffix_of_the_name_naming_the_unit_and_the_rule()
    {
        var error = Should.Throw<ArgumentException>(() =>
            new MetricRegistry().CreateHistogram("request_duration_seconds", "Latency.", options: new FamilyOptions { Unit = "milliseconds" }));

        error.ParamName.ShouldBe("options");
        error.Message.ShouldStartWith(
            "Invalid unit 'milliseconds' for metric 'request_duration_seconds': OpenMetrics requires the unit to be the suffix of the metric name, so the name must end with '_milliseconds'.");
    }

    [Test]
    public void Counter_unit_is_the_suffix_of_the_name_before_total()
    {
        var registry = new MetricRegistry();

        registry.CreateCounter("sent_bytes_total", "Bytes sent.", new FamilyOptions { Unit = "bytes" }).Family.Name.ShouldBe("sent_bytes_total");
        registry.CreateDoubleCounter("cpu_seconds", "CPU time.", new FamilyOptions { Unit = "seconds" }).Family.Name.ShouldBe("cpu_seconds_total");
        Should.Throw<ArgumentException>(() => registry.CreateCounter("bytes_sent", "Bytes sent.", new FamilyOptions { Unit = "bytes" }))
            .Message.ShouldStartWith(
                "Invalid unit 'bytes' for metric 'bytes_sent_total': OpenMetrics requires the unit to be the suffix of the metric name, so the name must end with '_bytes' before '_total'.");
    }

    [Test]
    public void Unit_rejects_characters_metric_names_do_not_use()
    {
        Should.Throw<ArgumentException>(() => new MetricRegistry().CreateGauge("speed_m/s", "Speed.", new FamilyOptions { Unit = "m/s" }))
            .Message.ShouldStartWith("Invalid metric name 'speed_m/s'");
        Should.Throw<ArgumentException>(() => new MetricRegistry().CreateGauge("speed", "Speed.", new FamilyOptions { Unit = "per second" }))
            .Message.ShouldStartWith("Invalid unit 'per second': a unit must consist of the characters [a-zA-Z0-9_:] that metric names use.");
    }

    [Test]
    public void Unit_is_part_of_the_family_identity()
    {
        var registry = new MetricRegistry();
        var gauge = registry.CreateGauge("heap_bytes", "Heap.", new FamilyOptions { Unit = "bytes" });

        registry.CreateGauge("heap_bytes", "Heap.", new FamilyOptions { Unit = "bytes" }).ShouldBeSameAs(gauge);
        Should.Throw<InvalidOperationException>(() => registry.CreateGauge("heap_bytes", "Heap.")).Message.ShouldBe(
            "Metric 'heap_bytes' is already registered with unit 'bytes'; it cannot be registered again with unit ''.");
    }
}
