using System.Diagnostics.Metrics;
using Metrics.Bridge;

namespace Metrics.Tests.Bridge;

public class MeterBridgeLifecycleTests
{
    [Test]
    public void Disposing_the_meter_removes_its_families_and_frees_their_names()
    {
        using var bridged = new BridgedTestMeter();
        bridged.Meter.CreateCounter<long>("test.calls").Add(1);
        bridged.Meter.CreateObservableGauge("test.level", () => 3.0);
        bridged.Render();
        bridged.Registry.Families.Select(family => family.Name).ShouldBe(["metrics_bridge_dropped_total", "test_calls_total", "test_level"]);

        bridged.Meter.Dispose();

        bridged.Registry.Families.Select(family => family.Name).ShouldBe(["metrics_bridge_dropped_total"]);
        bridged.Registry.CreateGauge("test_level", "Now the application's.").Set(1);
    }

    [Test]
    public void Bridge_selects_no_meter_unless_told()
    {
        using var meter = new Meter("Metrics.Tests.Bridge." + Guid.NewGuid().ToString("N"));
        var registry = new MetricRegistry();
        new MeterBridgeOptions().Meters.ShouldBeEmpty();

        using var bridge = registry.AddMeterBridge();
        meter.CreateCounter<long>("test.calls").Add(5);
        using var runtime = new Meter("System.Runtime.Tests." + Guid.NewGuid().ToString("N"));
        runtime.CreateObservableGauge("test.level", () => 1);

        registry.Collect().Families.Select(family => family.Name).ShouldAllBe(name => name.StartsWith("metrics_", StringComparison.Ordinal));
    }

    [Test]
    public void A_meter_created_again_under_the_same_name_starts_a_fresh_family()
    {
        var name = "Metrics.Tests.Bridge." + Guid.NewGuid().ToString("N");
        var registry = new MetricRegistry();
        using var bridge = registry.AddMeterBridge(new MeterBridgeOptions { Meters = [name] });
        using (var first = new Meter(name))
        {
            first.CreateCounter<long>("test.calls").Add(5);
        }

        using var second = new Meter(name);
        second.CreateCounter<long>("test.calls").Add(2);

        registry.Families.OfType<MetricFamily<Counter>>().Single(family => family.Name == "test_calls_total").WithLabels([]).Value.ShouldBe(2);
    }

    [Test]
    public void Disposing_the_bridge_removes_the_bridged_families_and_stops_recording()
    {
        using var bridged = new BridgedTestMeter();
        var counter = bridged.Meter.CreateCounter<long>("test.calls");
        counter.Add(1);
        var family = bridged.Registry.Families.OfType<MetricFamily<Counter>>().Single(family => family.Name == "test_calls_total");

        bridged.StopBridge();
        counter.Add(1);

        bridged.Registry.Families.Select(family => family.Name).ShouldBe(["metrics_bridge_dropped_total"]);
        family.WithLabels([]).Value.ShouldBe(1);
        counter.Enabled.ShouldBeFalse();
    }

    [Test]
    public void An_instrument_whose_name_is_taken_is_not_bridged_and_each_measurement_counts_as_a_name_collision()
    {
        var registry = new MetricRegistry();
        var own = registry.CreateCounter("test_calls", "The application's own.");
        using var bridged = new BridgedTestMeter(registry: registry);
        var counter = bridged.Meter.CreateCounter<long>("test.calls");

        counter.Add(1);
        counter.Add(1);

        own.Value.ShouldBe(0);
        bridged.Dropped("name_collision").ShouldBe(2);
        registry.Families.Single(family => family.Name == "test_calls_total").Help.ShouldBe("The application's own.");
    }

    [Test]
    public void Two_instruments_that_map_to_one_name_bridge_only_the_first()
    {
        using var bridged = new BridgedTestMeter();
        bridged.Meter.CreateCounter<long>("test.calls").Add(1);
        bridged.Meter.CreateCounter<long>("test_calls").Add(7);

        bridged.RenderBridged().ShouldBe("# TYPE test_calls_total counter\ntest_calls_total 1\n");
        bridged.Dropped("name_collision").ShouldBe(1);
    }

    [Test]
    public void A_sample_name_taken_by_another_type_counts_as_a_name_collision()
    {
        using var bridged = new BridgedTestMeter();
        bridged.Registry.CreateCounter("test_calls", "Counter whose samples include test_calls.");
        bridged.Meter.CreateUpDownCounter<long>("test.calls").Add(1);

        bridged.Dropped("name_collision").ShouldBe(1);
    }

    [Test]
    public void Negative_or_non_finite_counter_increments_and_non_finite_up_down_changes_are_dropped_and_counted()
    {
        using var bridged = new BridgedTestMeter();
        var integer = bridged.Meter.CreateCounter<long>("test.calls");
        var floating = bridged.Meter.CreateCounter<double>("test.seconds");
        var upDown = bridged.Meter.CreateUpDownCounter<double>("test.level");
        integer.Add(2);
        integer.Add(-1);
        floating.Add(1.5);
        floating.Add(double.NaN);
        floating.Add(-0.5);
        upDown.Add(4);
        upDown.Add(double.PositiveInfinity);

        bridged.RenderBridged().ShouldBe("""
            # TYPE test_calls_total counter
            test_calls_total 2
            # TYPE test_level gauge
            test_level 4
            # TYPE test_seconds_total counter
            test_seconds_total 1.5

            """);
        bridged.Dropped("invalid_value").ShouldBe(4);
    }

    [Test]
    public void Instruments_created_before_and_after_the_bridge_starts_are_both_bridged()
    {
        var name = "Metrics.Tests.Bridge." + Guid.NewGuid().ToString("N");
        using var meter = new Meter(name);
        var before = meter.CreateCounter<long>("test.before");
        var registry = new MetricRegistry();
        using var bridge = registry.AddMeterBridge(new MeterBridgeOptions { Meters = [name] });
        var after = meter.CreateCounter<long>("test.after");

        before.Add(1);
        after.Add(2);

        registry.Families.Select(family => family.Name).ShouldBe(["metrics_bridge_dropped_total", "test_after_total", "test_before_total"]);
    }

    [Test]
    public void A_prefix_entry_bridges_the_meters_under_it_and_no_others()
    {
        var prefix = "Metrics.Tests.Bridge." + Guid.NewGuid().ToString("N");
        using var inside = new Meter(prefix + ".Http");
        using var outside = new Meter(prefix + "Http");
        var registry = new MetricRegistry();
        using var bridge = registry.AddMeterBridge(new MeterBridgeOptions { Meters = [prefix + ".*"] });

        inside.CreateCounter<long>("test.inside").Add(1);
        outside.CreateCounter<long>("test.outside").Add(1);

        registry.Families.Select(family => family.Name).ShouldBe(["metrics_bridge_dropped_total", "test_inside_total"]);
    }

    [TestCase("System.Net.Http", "System.Net.Http", true)]
    [TestCase("system.net.http", "System.Net.Http", true)]
    [TestCase("System.Net.Http", "System.Net.Http.Extra", false)]
    [TestCase("System.Net.*", "System.Net.Sockets", true)]
    [TestCase("System.Net.*", "System.Net", false)]
    [TestCase("System.Net.*", "System.Network", false)]
    [TestCase("*", "Anything.At.All", true)]
    public void Meter_entries_match_exact_names_or_trailing_star_prefixes_ignoring_case(string entry, string meterName, bool matches)
    {
        using var meter = new Meter(meterName);

        new MeterSelection([entry], null, "options").Matches(meter).ShouldBe(matches);
    }

    [TestCase("", "Invalid MeterBridgeOptions.Meters entry: it must not be empty; use '*' to bridge every meter.")]
    [TestCase("System.*.Http", "Invalid MeterBridgeOptions.Meters entry 'System.*.Http': '*' may only end an entry, as in 'System.Net.*'.")]
    public void Invalid_meter_entries_throw_naming_the_entry_and_the_rule(string entry, string message)
    {
        var exception = Should.Throw<ArgumentException>(() => new MetricRegistry().AddMeterBridge(new MeterBridgeOptions { Meters = [entry] }));

        exception.Message.ShouldStartWith(message);
        exception.ParamName.ShouldBe("options");
    }

    [Test]
    public void A_meter_scope_bridges_meters_of_that_scope_and_meters_without_one_but_not_other_scopes()
    {
        var name = "Metrics.Tests.Bridge." + Guid.NewGuid().ToString("N");
        var ours = new object();
        using var own = new Meter(new MeterOptions(name) { Scope = ours });
        using var foreign = new Meter(new MeterOptions(name) { Scope = new object() });
        using var global = new Meter(name);
        var registry = new MetricRegistry();
        using var bridge = registry.AddMeterBridge(new MeterBridgeOptions { Meters = [name], MeterScope = ours });

        own.CreateCounter<long>("test.own").Add(1);
        foreign.CreateCounter<long>("test.foreign").Add(1);
        global.CreateCounter<long>("test.global").Add(1);

        registry.Families.Select(family => family.Name).ShouldBe(["metrics_bridge_dropped_total", "test_global_total", "test_own_total"]);
    }

    [Test]
    public void The_cardinality_limit_of_the_family_options_folds_new_label_sets_into_the_overflow_series()
    {
        using var bridged = new BridgedTestMeter(options => options.FamilyOptions = new FamilyOptions { CardinalityLimit = 2 });
        var counter = bridged.Meter.CreateCounter<long>("test.calls");
        foreach (var model in new[] { "a", "b", "c", "d" })
        {
            counter.Add(1, new KeyValuePair<string, object?>("model", model));
        }

        var output = bridged.RenderBridged();

        output.ShouldContain("metrics_series_overflow_total{family=\"test_calls_total\"} 2\n");
        output.ShouldEndWith("""
            # TYPE test_calls_total counter
            test_calls_total{model="a"} 1
            test_calls_total{model="b"} 1
            test_calls_total{model="__overflow__"} 2

            """);
    }

    [Test]
    public void Series_idle_past_the_family_options_expiry_leave_the_scrape()
    {
        var clock = new ManualTimeProvider();
        var registry = new MetricRegistry(new MetricRegistryOptions { TimeProvider = clock });
        using var bridged = new BridgedTestMeter(options => options.FamilyOptions = new FamilyOptions { ExpireAfter = TimeSpan.FromMinutes(5) }, registry);
        var counter = bridged.Meter.CreateCounter<long>("test.calls");
        counter.Add(1, new KeyValuePair<string, object?>("model", "old"));
        bridged.Render();
        clock.Advance(TimeSpan.FromMinutes(6));
        counter.Add(1, new KeyValuePair<string, object?>("model", "new"));

        bridged.RenderBridged().ShouldBe("# TYPE test_calls_total counter\ntest_calls_total{model=\"new\"} 1\n");
    }

    [Test]
    public void Four_threads_recording_through_the_bridge_give_exact_totals()
    {
        const int PerThread = 200_000;
        using var bridged = new BridgedTestMeter(options => options.HistogramBuckets = [10]);
        var counter = bridged.Meter.CreateCounter<long>("test.calls");
        var histogram = bridged.Meter.CreateHistogram<double>("test.wait");
        var upDown = bridged.Meter.CreateUpDownCounter<long>("test.level");
        string[] routes = ["/a", "/b"];

        Concurrently.Run(4, thread =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                var route = new KeyValuePair<string, object?>("route", routes[i & 1]);
                var worker = new KeyValuePair<string, object?>("parity", thread % 2 == 0 ? "even" : "odd");
                counter.Add(1, route, worker);
                histogram.Record(1, route);
                upDown.Add(i % 2 == 0 ? 2 : -1);
            }
        });

        var calls = Family<Counter>(bridged, "test_calls_total");
        foreach (var parity in new[] { "even", "odd" })
        {
            // Two threads share each parity, and each sends half its measurements to each route.
            calls.WithLabels(parity, "/a").Value.ShouldBe(PerThread);
            calls.WithLabels(parity, "/b").Value.ShouldBe(PerThread);
        }

        calls.Series.Count.ShouldBe(4);
        Family<Gauge>(bridged, "test_level").WithLabels([]).Value.ShouldBe(4 * ((PerThread / 2 * 2) - (PerThread / 2)));
        var waits = bridged.Registry.Collect().Find("test_wait")!;
        foreach (var route in routes)
        {
            var wait = waits.Find(route)!.Histogram!;
            wait.Sum.ShouldBe(2 * PerThread);
            wait.CumulativeCounts.ShouldBe([2 * PerThread, 2 * PerThread]);
        }
    }

    private static MetricFamily<TSeries> Family<TSeries>(BridgedTestMeter bridged, string name)
        where TSeries : MetricSeries =>
        bridged.Registry.Families.OfType<MetricFamily<TSeries>>().Single(family => family.Name == name);
}
