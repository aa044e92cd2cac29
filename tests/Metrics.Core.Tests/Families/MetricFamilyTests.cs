namespace Metrics.Tests.Families;

public class MetricFamilyTests
{
    [Test]
    public void Every_lookup_overload_returns_the_same_series_for_the_same_values()
    {
        var registry = new MetricRegistry();
        var one = registry.CreateCounterFamily("one_total", "One.", ["a"]);
        var two = registry.CreateCounterFamily("two_total", "Two.", ["a", "b"]);
        var three = registry.CreateCounterFamily("three_total", "Three.", ["a", "b", "c"]);
        var four = registry.CreateCounterFamily("four_total", "Four.", ["a", "b", "c", "d"]);

        one.WithLabels("x").ShouldBeSameAs(one.WithLabels(["x"]));
        two.WithLabels("x", "y").ShouldBeSameAs(two.WithLabels(["x", "y"]));
        three.WithLabels("x", "y", "z").ShouldBeSameAs(three.WithLabels(["x", "y", "z"]));
        four.WithLabels(["w", "x", "y", "z"]).ShouldBeSameAs(four.WithLabels(["w", "x", "y", "z"]));
        two.WithLabels("x", "y").ShouldNotBeSameAs(two.WithLabels("y", "x"));
        three.WithLabels("x", "y", "z").LabelValues.ShouldBe(["x", "y", "z"]);
    }

    [Test]
    public void Label_values_that_are_equal_but_not_the_same_string_find_the_same_series()
    {
        var family = new MetricRegistry().CreateGaugeFamily("g", "G.", ["model"]);
        var series = family.WithLabels("gpt-4o");

        family.WithLabels(new string("gpt-4o".AsSpan())).ShouldBeSameAs(series);
    }

    [Test]
    public void A_wrong_number_of_label_values_throws_naming_the_labels()
    {
        var family = new MetricRegistry().CreateCounterFamily("requests_total", "Requests.", ["route", "method"]);

        var error = Should.Throw<ArgumentException>(() => family.WithLabels("/v1/models"));

        error.Message.ShouldBe("Metric 'requests_total' takes 2 label value(s), for [route, method], but 1 were given.");
        Should.Throw<ArgumentException>(() => family.WithLabels("a", "b", "c"));
    }

    [Test]
    public void A_null_label_value_throws()
    {
        var family = new MetricRegistry().CreateCounterFamily("requests_total", "Requests.", ["route"]);

        Should.Throw<ArgumentNullException>(() => family.WithLabels((string)null!));
    }

    [Test]
    public void Concurrent_creators_of_the_same_child_get_the_same_instance()
    {
        var family = new MetricRegistry().CreateCounterFamily("requests_total", "Requests.", ["route", "status"]);
        var seen = new Counter[4][];

        Concurrently.Run(4, thread =>
        {
            seen[thread] = new Counter[1000];
            for (var i = 0; i < 1000; i++)
            {
                var series = family.WithLabels("/r" + i, "200");
                series.Inc();
                seen[thread][i] = series;
            }
        });

        for (var i = 0; i < 1000; i++)
        {
            seen[1][i].ShouldBeSameAs(seen[0][i]);
            seen[2][i].ShouldBeSameAs(seen[0][i]);
            seen[3][i].ShouldBeSameAs(seen[0][i]);
            seen[0][i].Value.ShouldBe(4);
        }

        family.Registry.Collect().Find("requests_total")!.Series.Count.ShouldBe(1000);
    }

    [Test]
    public void Label_sets_past_the_cardinality_cap_fold_into_one_overflow_series_and_are_counted()
    {
        var registry = new MetricRegistry();
        var family = registry.CreateCounterFamily("requests_total", "Requests.", ["user", "path"], new FamilyOptions { CardinalityLimit = 1_000 });

        for (var i = 0; i < 50_000; i++)
        {
            family.WithLabels("user" + i, "/p").Inc();
        }

        var snapshot = registry.Collect();
        var series = snapshot.Find("requests_total")!.Series;
        series.Count.ShouldBe(1_001);
        series[999].LabelValues.ShouldBe(["user999", "/p"]);
        series[999].Value.ShouldBe(1);
        var overflow = snapshot.Find("requests_total")!.Find(MetricFamily.OverflowLabelValue, MetricFamily.OverflowLabelValue)!;
        overflow.Value.ShouldBe(49_000);
        snapshot.Find("metrics_series_overflow_total")!.Find("requests_total")!.Value.ShouldBe(49_000);
    }

    [Test]
    public void Existing_series_keep_working_after_the_cap_is_reached()
    {
        var registry = new MetricRegistry();
        var family = registry.CreateGaugeFamily("g", "G.", ["k"], new FamilyOptions { CardinalityLimit = 2 });
        family.WithLabels("a").Set(1);
        family.WithLabels("b").Set(2);
        family.WithLabels("c").Set(3);

        family.WithLabels("a").Inc();

        var snapshot = registry.Collect().Find("g")!;
        snapshot.Find("a")!.Value.ShouldBe(2);
        snapshot.Find("b")!.Value.ShouldBe(2);
        snapshot.Find(MetricFamily.OverflowLabelValue)!.Value.ShouldBe(3);
        snapshot.Find("c").ShouldBeNull();
    }

    [Test]
    public void The_default_cardinality_cap_is_ten_thousand_and_configurable_per_registry()
    {
        new MetricRegistry().CreateCounterFamily("a_total", "A.", ["k"]).CardinalityLimit.ShouldBe(10_000);
        new MetricRegistry(new MetricRegistryOptions { DefaultCardinalityLimit = 50 }).CreateCounterFamily("a_total", "A.", ["k"]).CardinalityLimit.ShouldBe(50);
    }

    [Test]
    public void The_overflow_counter_never_folds_itself_even_under_a_cap_of_one()
    {
        // Regression: with DefaultCardinalityLimit = 1 the overflow counter reached its own cap and recursed until
        // the stack overflowed.
        var registry = new MetricRegistry(new MetricRegistryOptions { DefaultCardinalityLimit = 1 });
        var first = registry.CreateCounterFamily("first_total", "First.", ["k"]);
        var second = registry.CreateCounterFamily("second_total", "Second.", ["k"]);

        first.WithLabels("a").Inc();
        first.WithLabels("b").Inc();
        second.WithLabels("a").Inc();
        second.WithLabels("b").Inc();
        second.WithLabels("c").Inc();

        var overflow = registry.Collect().Find("metrics_series_overflow_total")!;
        overflow.Find("first_total")!.Value.ShouldBe(1);
        overflow.Find("second_total")!.Value.ShouldBe(2);
        overflow.Series.Count.ShouldBe(2);
    }

    [Test]
    public void Lookups_folded_past_the_cap_are_counted_each_time_and_all_land_in_the_overflow_series()
    {
        var registry = new MetricRegistry();
        var family = registry.CreateCounterFamily("hits_total", "Hits.", ["k"], new FamilyOptions { CardinalityLimit = 1 });
        family.WithLabels("kept").Inc();

        var folded = family.WithLabels("x");
        folded.Inc();
        family.WithLabels("x").ShouldBeSameAs(folded);
        family.WithLabels("y").Inc(5);

        var snapshot = registry.Collect();
        snapshot.Find("hits_total")!.Find(MetricFamily.OverflowLabelValue)!.Value.ShouldBe(6);
        snapshot.Find("metrics_series_overflow_total")!.Find("hits_total")!.Value.ShouldBe(3);
    }
}
