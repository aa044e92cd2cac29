using System.Diagnostics;
using System.Diagnostics.Metrics;
using Metrics.Bridge;

namespace Metrics.Tests.Bridge;

public class MeterBridgeTagTests
{
    [Test]
    public void A_tag_missing_from_a_later_measurement_records_an_empty_label()
    {
        using var bridged = new BridgedTestMeter();
        var counter = bridged.Meter.CreateCounter<long>("test.calls");
        counter.Add(1, new("a", "x"), new("b", "y"));
        counter.Add(4, new KeyValuePair<string, object?>("a", "z"));

        bridged.RenderBridged().ShouldBe("""
            # TYPE test_calls_total counter
            test_calls_total{a="x",b="y"} 1
            test_calls_total{a="z",b=""} 4

            """);
    }

    [Test]
    public void A_tag_key_the_family_lacks_is_left_off_and_the_measurement_is_still_recorded_and_counted()
    {
        using var bridged = new BridgedTestMeter();
        var counter = bridged.Meter.CreateCounter<long>("test.calls");
        counter.Add(1, new KeyValuePair<string, object?>("a", "x"));
        counter.Add(2, new("a", "x"), new("extra", "e"));
        // Seen before, so resolved from the instrument's cache: still counted.
        counter.Add(2, new("a", "x"), new("extra", "e"));
        counter.Add(3, new("extra", "e"), new("more", "m"));

        bridged.RenderBridged().ShouldBe("""
            # TYPE test_calls_total counter
            test_calls_total{a="x"} 5
            test_calls_total{a=""} 3

            """);
        bridged.Dropped("unknown_tag").ShouldBe(3);
    }

    [Test]
    public void A_declared_tag_absent_from_the_first_measurement_is_a_label_of_later_ones()
    {
        using var bridged = new BridgedTestMeter(options => options.InstrumentTags!["test.calls"] = ["error.type"]);
        var counter = bridged.Meter.CreateCounter<long>("test.calls");
        counter.Add(1, new KeyValuePair<string, object?>("a", "x"));
        counter.Add(2, new("a", "x"), new("error.type", "timeout"));

        bridged.RenderBridged().ShouldBe("""
            # TYPE test_calls_total counter
            test_calls_total{a="x",error_type=""} 1
            test_calls_total{a="x",error_type="timeout"} 2

            """);
        bridged.Dropped("unknown_tag").ShouldBe(0);
    }

    [Test]
    public void The_default_table_declares_the_optional_tags_of_the_aspnetcore_request_duration()
    {
        using var bridged = new BridgedTestMeter();
        var duration = bridged.Meter.CreateHistogram<double>("http.server.request.duration", "s");
        // ASP.NET Core leaves http.route off requests that matched no endpoint, and error.type off successes.
        duration.Record(0.25, new("http.request.method", "GET"), new("url.scheme", "http"), new("http.response.status_code", 404));
        duration.Record(0.5, new("http.request.method", "GET"), new("url.scheme", "http"), new("http.response.status_code", 500),
            new("http.route", "/items/{id}"), new("error.type", "System.InvalidOperationException"));

        var text = bridged.RenderBridged();
        text.ShouldContain("""http_server_request_duration_seconds_count{aspnetcore_request_is_unhandled="",error_type="",http_request_method="GET",http_response_status_code="404",http_route="",url_scheme="http"} 1""");
        text.ShouldContain("""http_server_request_duration_seconds_count{aspnetcore_request_is_unhandled="",error_type="System.InvalidOperationException",http_request_method="GET",http_response_status_code="500",http_route="/items/{id}",url_scheme="http"} 1""");
        bridged.Dropped("unknown_tag").ShouldBe(0);
    }

    [Test]
    public void An_instrument_tags_entry_that_is_null_or_holds_an_empty_key_is_refused_when_the_bridge_starts()
    {
        var registry = new MetricRegistry();
        var nullEntry = new MeterBridgeOptions();
        nullEntry.InstrumentTags!["test.calls"] = null!;
        Should.Throw<ArgumentException>(() => registry.AddMeterBridge(nullEntry)).Message.ShouldContain("InstrumentTags['test.calls'] is null");

        var emptyKey = new MeterBridgeOptions();
        emptyKey.InstrumentTags!["test.calls"] = ["ok", ""];
        Should.Throw<ArgumentException>(() => registry.AddMeterBridge(emptyKey)).Message.ShouldContain("InstrumentTags['test.calls'] holds an empty tag key");
    }

    [Test]
    public void Tag_values_that_are_not_strings_format_with_the_invariant_culture()
    {
        var culture = Thread.CurrentThread.CurrentCulture;
        Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        try
        {
            using var bridged = new BridgedTestMeter();
            var tags = new TagList
            {
                { "int", 200 },
                { "long", 5_000_000_000L },
                { "flag", true },
                { "ratio", 1.5 },
                { "day", DayOfWeek.Monday },
                { "none", null },
                { "big", 4096 },
                { "negative", -3 },
            };
            bridged.Meter.CreateCounter<long>("test.calls").Add(1, tags);

            bridged.RenderBridged().ShouldBe("""
                # TYPE test_calls_total counter
                test_calls_total{big="4096",day="Monday",flag="true",int="200",long="5000000000",negative="-3",none="",ratio="1.5"} 1

                """);
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = culture;
        }
    }

    [Test]
    public void Tag_keys_become_sanitized_label_names_and_keys_that_sanitize_alike_share_one_label()
    {
        using var bridged = new BridgedTestMeter();
        var counter = bridged.Meter.CreateCounter<long>("test.calls");
        counter.Add(1, new("server.port", "80"), new("server_port", "8080"), new("9lives", "cat"));

        bridged.RenderBridged().ShouldBe("""
            # TYPE test_calls_total counter
            test_calls_total{_9lives="cat",server_port="8080"} 1

            """);
    }

    [Test]
    public void A_histogram_tag_named_le_becomes_the_label_tag_le()
    {
        using var bridged = new BridgedTestMeter(options => options.HistogramBuckets = [1]);
        bridged.Meter.CreateHistogram<double>("test.wait").Record(0.5, new KeyValuePair<string, object?>("le", "x"));

        bridged.RenderBridged().ShouldBe("""
            # TYPE test_wait histogram
            test_wait_bucket{tag_le="x",le="1"} 1
            test_wait_bucket{tag_le="x",le="+Inf"} 1
            test_wait_sum{tag_le="x"} 0.5
            test_wait_count{tag_le="x"} 1

            """);
    }

    [Test]
    public void Measurements_with_more_tags_than_the_stack_buffer_holds_still_reach_their_series()
    {
        using var bridged = new BridgedTestMeter();
        var tags = new TagList();
        for (var i = 0; i < 10; i++)
        {
            tags.Add("k" + i, "v" + i);
        }

        var counter = bridged.Meter.CreateCounter<long>("test.wide");
        counter.Add(2, tags);
        counter.Add(3, tags);

        var series = bridged.Registry.Families.OfType<MetricFamily<Counter>>().Single(family => family.Name == "test_wide_total").WithLabels(
            ["v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9"]);
        series.Value.ShouldBe(5);
    }

    [Test]
    public void Recording_with_two_tags_allocates_nothing_once_the_series_and_the_tag_order_have_been_seen()
    {
        using var bridged = new BridgedTestMeter();
        var counter = bridged.Meter.CreateCounter<long>("test.calls");
        var method = new KeyValuePair<string, object?>("http.request.method", "GET");
        var status = new KeyValuePair<string, object?>("http.response.status_code", 200);
        for (var i = 0; i < 1000; i++)
        {
            counter.Add(1, method, status);
            counter.Add(1, status, method);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            counter.Add(1, method, status);
            counter.Add(1, status, method);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).ShouldBe(0);
    }

    [Test]
    public void Equal_tag_values_in_fresh_instances_reach_the_same_series()
    {
        using var bridged = new BridgedTestMeter();
        var counter = bridged.Meter.CreateCounter<long>("test.calls");
        for (var i = 0; i < 3; i++)
        {
            // A new string and a new box each time, equal by content.
            counter.Add(1, new("model", new string(['g', 'p', 't'])), new("status", (object)200));
        }

        bridged.RenderBridged().ShouldBe("# TYPE test_calls_total counter\ntest_calls_total{model=\"gpt\",status=\"200\"} 3\n");
    }

    [Test]
    public void Tag_sets_past_the_cache_limit_still_reach_their_own_series()
    {
        using var bridged = new BridgedTestMeter();
        var counter = bridged.Meter.CreateCounter<long>("test.calls");
        var models = Enumerable.Range(0, TagSeriesCache<Counter>.EntryLimit + 500).Select(i => "model-" + i).ToArray();
        foreach (var model in models.Concat(models))
        {
            counter.Add(1, new KeyValuePair<string, object?>("model", model));
        }

        var family = bridged.Registry.Families.OfType<MetricFamily<Counter>>().Single(family => family.Name == "test_calls_total");
        models.Select(model => family.WithLabels(model).Value).ShouldAllBe(value => value == 2);
    }
}
