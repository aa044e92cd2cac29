namespace Metrics.Tests.Snapshots;

public sealed class SeriesSnapshotLabelTests
{
    [Test]
    public void Label_values_are_found_by_name()
    {
        var registry = new MetricRegistry();
        registry.CreateCounterFamily("requests", "Requests.", ["route", "method", "status"]).WithLabels("/a", "GET", "200").Inc();

        var series = registry.Collect().Find("requests_total")!.Series[0];

        series.TryGetLabelValue("method", out var method).ShouldBeTrue();
        method.ShouldBe("GET");
        series["status"].ShouldBe("200");
        series.TryGetLabelValue("Method", out var missing).ShouldBeFalse();
        missing.ShouldBeNull();
        Should.Throw<KeyNotFoundException>(() => series["model"]).Message
            .ShouldBe("The series has no label 'model'; its labels are [route, method, status].");
    }

    [Test]
    public void Looking_a_label_up_allocates_nothing()
    {
        var registry = new MetricRegistry();
        registry.CreateGaugeFamily("depth", "Depth.", ["queue", "zone", "tier"]).WithLabels("mail", "a", "gold").Set(1);
        var series = registry.Collect().Find("depth")!.Series[0];
        series.TryGetLabelValue("tier", out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var found = 0;
        for (var i = 0; i < 1000; i++)
        {
            found += series.TryGetLabelValue("tier", out var tier) && tier.Length == 4 ? 1 : 0;
            found += series["zone"].Length;
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).ShouldBe(0);
        found.ShouldBe(2000);
    }
}
