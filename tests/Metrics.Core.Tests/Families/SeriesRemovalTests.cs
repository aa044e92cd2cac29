using Metrics.Testing;

namespace Metrics.Tests.Families;

public sealed class SeriesRemovalTests
{
    private const string Header = "# HELP requests_total Requests.\n# TYPE requests_total counter\n";

    private readonly ManualTimeProvider _clock = new();
    private MetricRegistry _registry = null!;

    [SetUp]
    public void CreateRegistry() => _registry = new MetricRegistry(new MetricRegistryOptions { TimeProvider = _clock });

    [Test]
    public void Removed_series_leaves_every_exposition_and_snapshot_while_the_others_stay()
    {
        var family = _registry.CreateCounterFamily("requests", "Requests.", ["route", "method"]);
        family.WithLabels("/a", "GET").Inc(2);
        family.WithLabels("/b", "GET").Inc(3);

        family.Remove("/a", "GET").ShouldBeTrue();

        ExpositionText.Of(_registry).ShouldBe(Header + "requests_total{route=\"/b\",method=\"GET\"} 3\n");
        ExpositionText.Of(_registry, ExpositionFormat.OpenMetrics).ShouldBe(
            "# TYPE requests counter\n# HELP requests Requests.\nrequests_total{route=\"/b\",method=\"GET\"} 3\n# EOF\n");
        var snapshot = _registry.Collect().Find("requests_total")!;
        snapshot.Find("/a", "GET").ShouldBeNull();
        snapshot.Series.Count.ShouldBe(1);
        family.Remove("/a", "GET").ShouldBeFalse();
        family.Remove(["/c", "GET"]).ShouldBeFalse();
    }

    [Test]
    public void Held_handle_of_a_removed_series_is_detached_and_a_new_lookup_starts_from_zero()
    {
        var family = _registry.CreateCounterFamily("requests", "Requests.", ["route"]);
        var held = family.WithLabels("/a");
        held.Inc(5);

        family.Remove("/a").ShouldBeTrue();
        held.Inc(3);

        held.Value.ShouldBe(8);
        ExpositionText.Of(_registry).ShouldBe("");
        var fresh = family.WithLabels("/a");
        fresh.ShouldNotBeSameAs(held);
        fresh.Value.ShouldBe(0);
        fresh.Inc();
        held.Inc(100);
        ExpositionText.Of(_registry).ShouldBe(Header + "requests_total{route=\"/a\"} 1\n");
        family.WithLabels("/a").ShouldBeSameAs(fresh);
    }

    [Test]
    public void Removal_frees_a_place_under_the_cardinality_limit()
    {
        var family = _registry.CreateCounterFamily("requests", "Requests.", ["route"], new FamilyOptions { CardinalityLimit = 2 });
        family.WithLabels("/a").Inc();
        family.WithLabels("/b").Inc();
        family.WithLabels("/c").LabelValues.ShouldBe([MetricFamily.OverflowLabelValue]);

        family.Remove("/a").ShouldBeTrue();
        var admitted = family.WithLabels("/d");

        admitted.LabelValues.ShouldBe(["/d"]);
        admitted.Inc(7);
        ExpositionText.Of(_registry).ShouldContain(
            "requests_total{route=\"/b\"} 1\nrequests_total{route=\"__overflow__\"} 0\nrequests_total{route=\"/d\"} 7\n");
    }

    [Test]
    public void Removed_series_that_had_expired_while_held_never_comes_back()
    {
        var family = _registry.CreateCounterFamily("requests", "Requests.", ["route"], new FamilyOptions { ExpireAfter = TimeSpan.FromSeconds(10) });
        var held = family.WithLabels("/a");
        held.Inc(5);
        _registry.Collect();
        _clock.Advance(TimeSpan.FromSeconds(10));
        _registry.Collect().Find("requests_total")!.Series.ShouldBeEmpty();

        family.Remove("/a").ShouldBeTrue();
        held.Inc();

        _registry.Collect().Find("requests_total")!.Series.ShouldBeEmpty();
        family.WithLabels("/a").Value.ShouldBe(0);
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Removal_racing_a_writer_on_the_held_handle_never_resurrects_the_series(bool expiring)
    {
        const int Increments = 200_000;
        var options = expiring ? new FamilyOptions { ExpireAfter = TimeSpan.FromSeconds(10) } : null;
        var family = _registry.CreateCounterFamily("requests", "Requests.", ["route"], options);
        var held = family.WithLabels("/a");
        var removed = false;

        Concurrently.Run(2, thread =>
        {
            if (thread == 0)
            {
                for (var i = 0; i < Increments; i++)
                {
                    held.Inc();
                }

                return;
            }

            while (held.Value < Increments / 2)
            {
                // Scrapes mark the series idle, so that the writer's next increment takes the path that restores.
                _registry.Collect();
            }

            removed = family.Remove("/a");
            for (var i = 0; i < 100; i++)
            {
                _registry.Collect().Find("requests_total")!.Series.ShouldBeEmpty();
            }
        });

        removed.ShouldBeTrue();
        held.Value.ShouldBe(Increments);
        _registry.Collect().Find("requests_total")!.Series.ShouldBeEmpty();
        ExpositionText.Of(_registry).ShouldBe("");
        family.WithLabels("/a").Value.ShouldBe(0);
    }

    [Test]
    public void Clear_removes_every_series_and_the_overflow_series_and_keeps_the_family()
    {
        var family = _registry.CreateGaugeFamily("queue_length", "Queue length.", ["queue"], new FamilyOptions { CardinalityLimit = 1 });
        var held = family.WithLabels("mail");
        held.Set(4);
        family.WithLabels("sms").Set(9);

        family.Clear();
        held.Set(11);

        // The folded lookup of "sms" was counted in metrics_series_overflow_total{family="queue_length"}, another family.
        ExpositionText.Of(_registry).ShouldNotContain("queue_length ");
        _registry.Collect().Find("queue_length")!.Series.ShouldBeEmpty();
        _registry.Families.ShouldContain(family);
        family.WithLabels("sms").Set(2);
        ExpositionText.Of(_registry).ShouldEndWith("# HELP queue_length Queue length.\n# TYPE queue_length gauge\nqueue_length{queue=\"sms\"} 2\n");
        family.WithLabels("mail").Value.ShouldBe(0);
    }

    [Test]
    public void Removing_a_callback_series_stops_its_callback()
    {
        var calls = new int[2];
        var family = _registry.CreateCallbackGauge("pool_size", "Pool size.", ["pool"], ["a"], () => ++calls[0]).Family;
        _registry.CreateCallbackGauge("pool_size", "Pool size.", ["pool"], ["b"], () => 10 + ++calls[1]);
        _registry.Collect();

        family.Remove("a").ShouldBeTrue();
        var snapshot = _registry.Collect().Find("pool_size")!;

        calls.ShouldBe([1, 2]);
        snapshot.Series.Count.ShouldBe(1);
        snapshot.Find("b")!.Value.ShouldBe(12);
    }

    [Test]
    public void Remove_with_the_wrong_number_of_values_throws_naming_the_labels()
    {
        var family = _registry.CreateCounterFamily("requests", "Requests.", ["route", "method"]);

        Should.Throw<ArgumentException>(() => family.Remove("/a")).Message
            .ShouldBe("Metric 'requests_total' takes 2 label value(s), for [route, method], but 1 were given.");
    }
}
