namespace Metrics.Tests.Snapshots;

public class MetricsSnapshotTests
{
    [Test]
    public void Snapshot_holds_every_family_with_type_help_labels_and_values()
    {
        var registry = new MetricRegistry();
        registry.CreateCounterFamily("requests", "Requests.", ["model"]).WithLabels("gpt-4o").Inc(5);
        registry.CreateGauge("in_flight", "In flight.").Set(2);
        var latency = registry.CreateHistogram("latency_seconds", "Latency.", [0.5, 1]);
        latency.Observe(0.25);
        latency.Observe(0.75);
        latency.Observe(4);

        var snapshot = registry.Collect();

        snapshot.Families.Select(family => family.Name).ShouldBe(["in_flight", "latency_seconds", "requests_total"]);
        var requests = snapshot.Find("requests_total")!;
        requests.Type.ShouldBe(MetricType.Counter);
        requests.Help.ShouldBe("Requests.");
        requests.LabelNames.ShouldBe(["model"]);
        requests.Find("gpt-4o")!.Value.ShouldBe(5);
        snapshot.Find("in_flight")!.Series[0].Value.ShouldBe(2);
        var histogram = snapshot.Find("latency_seconds")!.Series[0].Histogram!;
        histogram.UpperBounds.ShouldBe([0.5, 1, double.PositiveInfinity]);
        histogram.CumulativeCounts.ShouldBe([1L, 2L, 3L]);
        histogram.Count.ShouldBe(3);
        histogram.Sum.ShouldBe(5);
        snapshot.Find("latency_seconds")!.Series[0].Value.ShouldBe(3);
        snapshot.Find("missing").ShouldBeNull();
    }

    [Test]
    public void A_snapshot_does_not_change_when_the_metrics_do()
    {
        var registry = new MetricRegistry();
        var counter = registry.CreateCounter("requests", "Requests.");
        var histogram = registry.CreateHistogram("latency_seconds", "Latency.", [1]);
        counter.Inc();
        histogram.Observe(0.5);

        var snapshot = registry.Collect();
        counter.Inc(10);
        histogram.Observe(2);
        registry.CreateGauge("later", "Registered after the snapshot.").Set(1);

        snapshot.Find("requests_total")!.Series[0].Value.ShouldBe(1);
        snapshot.Find("latency_seconds")!.Series[0].Histogram!.CumulativeCounts.ShouldBe([1L, 1L]);
        snapshot.Find("later").ShouldBeNull();
    }
}
