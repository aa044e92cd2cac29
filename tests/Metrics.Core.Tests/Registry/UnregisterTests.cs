namespace Metrics.Tests.Registry;

public sealed class UnregisterTests
{
    [Test]
    public void Unregistered_family_leaves_scrapes_and_its_name_registers_anew_from_zero()
    {
        var registry = new MetricRegistry();
        var family = registry.CreateCounterFamily("jobs", "Jobs.", ["queue"]);
        var held = family.WithLabels("mail");
        held.Inc(5);
        registry.CreateGauge("depth", "Depth.").Set(1);

        registry.Unregister(family).ShouldBeTrue();
        held.Inc();

        ExpositionText.Of(registry).ShouldBe("# HELP depth Depth.\n# TYPE depth gauge\ndepth 1\n");
        registry.Collect().Find("jobs_total").ShouldBeNull();
        registry.Unregister(family).ShouldBeFalse();

        var again = registry.CreateCounterFamily("jobs", "Jobs, counted again.", ["queue", "priority"]);
        again.ShouldNotBeSameAs(family);
        again.WithLabels("mail", "high").Value.ShouldBe(0);
        again.WithLabels("mail", "high").Inc(2);
        ExpositionText.Of(registry).ShouldBe(
            "# HELP depth Depth.\n# TYPE depth gauge\ndepth 1\n# HELP jobs_total Jobs, counted again.\n# TYPE jobs_total counter\njobs_total{queue=\"mail\",priority=\"high\"} 2\n");
    }

    [Test]
    public void Unregistering_frees_the_sample_names_for_another_type()
    {
        var registry = new MetricRegistry();
        var counter = registry.CreateCounterFamily("jobs", "Jobs.", []);
        Should.Throw<InvalidOperationException>(() => registry.CreateGauge("jobs", "Jobs."));

        registry.Unregister(counter).ShouldBeTrue();

        registry.CreateGauge("jobs", "Jobs.").Set(3);
        ExpositionText.Of(registry).ShouldBe("# HELP jobs Jobs.\n# TYPE jobs gauge\njobs 3\n");
    }

    [Test]
    public void Unregistering_a_callback_family_stops_its_callbacks()
    {
        var registry = new MetricRegistry();
        var calls = 0;
        var gauge = registry.CreateCallbackGauge("pool_size", "Pool size.", () => ++calls);
        registry.Collect();

        registry.Unregister(gauge.Family).ShouldBeTrue();
        registry.Collect();

        calls.ShouldBe(1);
    }

    [Test]
    public void Another_registrys_family_is_not_unregistered()
    {
        var one = new MetricRegistry();
        var other = new MetricRegistry();
        var family = other.CreateCounterFamily("jobs", "Jobs.", []);
        one.CreateCounterFamily("jobs", "Jobs.", []);

        one.Unregister(family).ShouldBeFalse();

        one.Families.Count.ShouldBe(1);
    }
}
