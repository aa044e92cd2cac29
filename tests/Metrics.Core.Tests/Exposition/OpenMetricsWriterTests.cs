using System.Diagnostics;
using System.Text.Json;
using Metrics.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Metrics.Tests.Exposition;

public sealed class OpenMetricsWriterTests
{
    // 2024-01-02T03:04:05.5Z: a half second, so that timestamps show their fraction.
    private const long StartMilliseconds = 1_704_164_645_500;
    private const string Created = "1.7041646455e+09";
    private const string Timestamp = "1704164645.5";
    private const string TraceId = "0af7651916cd43dd8448eb211c80319c";
    private const string SpanId = "b7ad6b7169203331";

    [Test]
    public void OpenMetrics_writes_every_type_with_units_escaped_help_and_eof()
    {
        var registry = CreateRegistry(new MetricRegistryOptions());
        PopulateEveryType(registry);

        ExpositionText.Of(registry, ExpositionFormat.OpenMetrics).ShouldBe(
            """
            # TYPE http_requests counter
            # HELP http_requests Requests \"served\" by route.\nSecond line: a \\ backslash.
            http_requests_total{route="/a"} 3
            # TYPE payload_size_bytes summary
            # UNIT payload_size_bytes bytes
            # HELP payload_size_bytes Payload sizes.
            payload_size_bytes{quantile="0.5"} 5
            payload_size_bytes{quantile="0.9"} 9
            payload_size_bytes_count 10
            payload_size_bytes_sum 55
            # TYPE queue_depth gauge
            # HELP queue_depth Queued requests.
            queue_depth 7
            # TYPE request_duration_seconds histogram
            # UNIT request_duration_seconds seconds
            # HELP request_duration_seconds Time to serve a request.
            request_duration_seconds_bucket{le="0.5"} 1
            request_duration_seconds_bucket{le="1.0"} 2
            request_duration_seconds_bucket{le="+Inf"} 3
            request_duration_seconds_count 3
            request_duration_seconds_sum 4
            # TYPE response_bytes counter
            # UNIT response_bytes bytes
            # HELP response_bytes Bytes sent.
            response_bytes_total 1.5
            # EOF

            """.ReplaceLineEndings("\n"));
    }

    [Test]
    public void OpenMetrics_writes_created_samples_after_counters_histograms_and_summaries_when_the_registry_enables_them()
    {
        var registry = CreateRegistry(new MetricRegistryOptions { EnableCreatedSamples = true });
        PopulateEveryType(registry);

        ExpositionText.Of(registry, ExpositionFormat.OpenMetrics).ShouldBe(
            $"""
            # TYPE http_requests counter
            # HELP http_requests Requests \"served\" by route.\nSecond line: a \\ backslash.
            http_requests_total{"{"}route="/a"{"}"} 3
            http_requests_created{"{"}route="/a"{"}"} {Created}
            # TYPE payload_size_bytes summary
            # UNIT payload_size_bytes bytes
            # HELP payload_size_bytes Payload sizes.
            payload_size_bytes{"{"}quantile="0.5"{"}"} 5
            payload_size_bytes{"{"}quantile="0.9"{"}"} 9
            payload_size_bytes_count 10
            payload_size_bytes_sum 55
            payload_size_bytes_created {Created}
            # TYPE queue_depth gauge
            # HELP queue_depth Queued requests.
            queue_depth 7
            # TYPE request_duration_seconds histogram
            # UNIT request_duration_seconds seconds
            # HELP request_duration_seconds Time to serve a request.
            request_duration_seconds_bucket{"{"}le="0.5"{"}"} 1
            request_duration_seconds_bucket{"{"}le="1.0"{"}"} 2
            request_duration_seconds_bucket{"{"}le="+Inf"{"}"} 3
            request_duration_seconds_count 3
            request_duration_seconds_sum 4
            request_duration_seconds_created {Created}
            # TYPE response_bytes counter
            # UNIT response_bytes bytes
            # HELP response_bytes Bytes sent.
            response_bytes_total 1.5
            response_bytes_created {Created}
            # EOF

            """.ReplaceLineEndings("\n"));
    }

    [Test]
    public void OpenMetrics_family_option_overrides_the_registry_default_for_created_samples()
    {
        var registry = CreateRegistry(new MetricRegistryOptions { EnableCreatedSamples = true });
        registry.CreateCounter("with_created", "On by default.").Inc();
        registry.CreateCounter("without_created", "Off for this family.", new FamilyOptions { EnableCreatedSamples = false }).Inc();

        ExpositionText.Of(registry, ExpositionFormat.OpenMetrics).ShouldBe(
            $"""
            # TYPE with_created counter
            # HELP with_created On by default.
            with_created_total 1
            with_created_created {Created}
            # TYPE without_created counter
            # HELP without_created Off for this family.
            without_created_total 1
            # EOF

            """.ReplaceLineEndings("\n"));
    }

    [Test]
    public void OpenMetrics_writes_explicit_exemplars_on_counter_and_bucket_lines_with_escaped_values()
    {
        var registry = CreateRegistry(new MetricRegistryOptions());
        var requests = registry.CreateCounterFamily("http_requests", "Requests.", ["route"]);
        requests.WithLabels("/a").Inc(2, new Exemplar("request_id", "q\"1\\\n"));
        var tokens = registry.CreateDoubleCounter("tokens", "Tokens.");
        tokens.Inc(0.5, Exemplar.ForTrace(TraceId, SpanId));
        var latency = registry.CreateHistogram("request_duration_seconds", "Latency.", [0.5, 1]);
        latency.Observe(0.25);
        latency.Observe(0.75, Exemplar.ForTrace(TraceId, SpanId));
        latency.Observe(30, new Exemplar("user", "ü"));

        ExpositionText.Of(registry, ExpositionFormat.OpenMetrics).ShouldBe(
            $$"""
            # TYPE http_requests counter
            # HELP http_requests Requests.
            http_requests_total{route="/a"} 2 # {request_id="q\"1\\\n"} 2.0 {{Timestamp}}
            # TYPE request_duration_seconds histogram
            # HELP request_duration_seconds Latency.
            request_duration_seconds_bucket{le="0.5"} 1
            request_duration_seconds_bucket{le="1.0"} 2 # {trace_id="{{TraceId}}",span_id="{{SpanId}}"} 0.75 {{Timestamp}}
            request_duration_seconds_bucket{le="+Inf"} 3 # {user="ü"} 30.0 {{Timestamp}}
            request_duration_seconds_count 3
            request_duration_seconds_sum 31
            # TYPE tokens counter
            # HELP tokens Tokens.
            tokens_total 0.5 # {trace_id="{{TraceId}}",span_id="{{SpanId}}"} 0.5 {{Timestamp}}
            # EOF

            """.ReplaceLineEndings("\n"));
    }

    [Test]
    public void OpenMetrics_takes_exemplars_from_the_sampled_current_activity_when_the_family_enables_them()
    {
        var registry = CreateRegistry(new MetricRegistryOptions());
        var options = new FamilyOptions { EnableExemplars = true };
        var requests = registry.CreateCounter("requests", "Requests.", options);
        var latency = registry.CreateHistogram("latency_seconds", "Latency.", [1], options);
        using var activity = StartActivity(ActivityTraceFlags.Recorded);
        requests.Inc();
        latency.Observe(0.5);
        var spanId = activity.SpanId.ToHexString();

        ExpositionText.Of(registry, ExpositionFormat.OpenMetrics).ShouldBe(
            $$"""
            # TYPE latency_seconds histogram
            # HELP latency_seconds Latency.
            latency_seconds_bucket{le="1.0"} 1 # {trace_id="{{TraceId}}",span_id="{{spanId}}"} 0.5 {{Timestamp}}
            latency_seconds_bucket{le="+Inf"} 1
            latency_seconds_count 1
            latency_seconds_sum 0.5
            # TYPE requests counter
            # HELP requests Requests.
            requests_total 1 # {trace_id="{{TraceId}}",span_id="{{spanId}}"} 1.0 {{Timestamp}}
            # EOF

            """.ReplaceLineEndings("\n"));
    }

    [Test]
    public void OpenMetrics_writes_no_activity_exemplar_when_the_activity_was_not_sampled_or_the_family_did_not_enable_them()
    {
        var registry = CreateRegistry(new MetricRegistryOptions());
        var unsampled = registry.CreateCounter("unsampled", "Enabled, but the activity was not sampled.", new FamilyOptions { EnableExemplars = true });
        var disabled = registry.CreateCounter("disabled", "Exemplars not enabled.");
        using (StartActivity(ActivityTraceFlags.None))
        {
            unsampled.Inc();
        }

        using (StartActivity(ActivityTraceFlags.Recorded))
        {
            disabled.Inc();
        }

        unsampled.Inc();

        ExpositionText.Of(registry, ExpositionFormat.OpenMetrics).ShouldBe(
            """
            # TYPE disabled counter
            # HELP disabled Exemplars not enabled.
            disabled_total 1
            # TYPE unsampled counter
            # HELP unsampled Enabled, but the activity was not sampled.
            unsampled_total 2
            # EOF

            """.ReplaceLineEndings("\n"));
    }

    [Test]
    public void OpenMetrics_bucket_keeps_the_latest_exemplar_and_each_lies_inside_its_bucket()
    {
        var registry = CreateRegistry(new MetricRegistryOptions());
        var latency = registry.CreateHistogram("latency_seconds", "Latency.", [1, 2]);
        latency.Observe(0.5, new Exemplar("id", "first"));
        latency.Observe(0.7, new Exemplar("id", "second"));
        latency.Observe(1.5, new Exemplar("id", "third"));
        latency.Observe(2, new Exemplar("id", "bound"));

        var parsed = Parse(ExpositionText.Of(registry, ExpositionFormat.OpenMetrics));
        var buckets = parsed.GetProperty("families")[0].GetProperty("samples").EnumerateArray()
            .Where(sample => sample.GetProperty("name").GetString() == "latency_seconds_bucket")
            .Select(sample => (
                Le: sample.GetProperty("labels").GetProperty("le").GetString(),
                Exemplar: sample.GetProperty("exemplar").ValueKind == JsonValueKind.Null
                    ? null
                    : $"{sample.GetProperty("exemplar").GetProperty("labels").GetProperty("id").GetString()}={sample.GetProperty("exemplar").GetProperty("value").GetDouble()}"))
            .ToArray();
        buckets.ShouldBe([("1.0", "second=0.7"), ("2.0", "bound=2"), ("+Inf", null)]);
    }

    [Test]
    public void OpenMetrics_output_parses_back_to_the_values_labels_and_exemplars_written()
    {
        var registry = CreateRegistry(new MetricRegistryOptions { EnableCreatedSamples = true });
        PopulateEveryType(registry);
        registry.CreateCounterFamily("http_requests", "Requests \"served\" by route.\nSecond line: a \\ backslash.", ["route"])
            .WithLabels("/b \"quoted\"\n").Inc(5, Exemplar.ForTrace(TraceId, SpanId));

        var parsed = Parse(ExpositionText.Of(registry, ExpositionFormat.OpenMetrics));

        var families = parsed.GetProperty("families").EnumerateArray().ToDictionary(family => family.GetProperty("name").GetString()!);
        families.Keys.ShouldBe(["http_requests", "payload_size_bytes", "queue_depth", "request_duration_seconds", "response_bytes"]);
        families["http_requests"].GetProperty("help").GetString().ShouldBe("Requests \"served\" by route.\nSecond line: a \\ backslash.");
        families["payload_size_bytes"].GetProperty("unit").GetString().ShouldBe("bytes");
        families["request_duration_seconds"].GetProperty("type").GetString().ShouldBe("histogram");

        var requests = families["http_requests"].GetProperty("samples").EnumerateArray().ToArray();
        requests.Select(Describe).ShouldBe([
            "http_requests_total{route=/a} 3",
            "http_requests_created{route=/a} 1704164645.5",
            "http_requests_total{route=/b \"quoted\"\n} 5",
            "http_requests_created{route=/b \"quoted\"\n} 1704164645.5",
        ]);
        var exemplar = requests[2].GetProperty("exemplar");
        exemplar.GetProperty("labels").GetProperty("trace_id").GetString().ShouldBe(TraceId);
        exemplar.GetProperty("labels").GetProperty("span_id").GetString().ShouldBe(SpanId);
        exemplar.GetProperty("value").GetDouble().ShouldBe(5);
        exemplar.GetProperty("timestamp").GetDouble().ShouldBe(1704164645.5);

        families["payload_size_bytes"].GetProperty("samples").EnumerateArray().Select(Describe).ShouldBe([
            "payload_size_bytes{quantile=0.5} 5",
            "payload_size_bytes{quantile=0.9} 9",
            "payload_size_bytes_count 10",
            "payload_size_bytes_sum 55",
            "payload_size_bytes_created 1704164645.5",
        ]);
        families["request_duration_seconds"].GetProperty("samples").EnumerateArray().Select(Describe).ShouldBe([
            "request_duration_seconds_bucket{le=0.5} 1",
            "request_duration_seconds_bucket{le=1.0} 2",
            "request_duration_seconds_bucket{le=+Inf} 3",
            "request_duration_seconds_count 3",
            "request_duration_seconds_sum 4",
            "request_duration_seconds_created 1704164645.5",
        ]);
        families["response_bytes"].GetProperty("samples").EnumerateArray().Select(Describe).ShouldBe([
            "response_bytes_total 1.5",
            "response_bytes_created 1704164645.5",
        ]);
    }

    [Test]
    public void OpenMetrics_output_of_every_type_and_tricky_label_value_parses_back_to_the_same_label_values()
    {
        var parsed = Parse(ExpositionText.Of(EveryTypeRegistry.Create(), ExpositionFormat.OpenMetrics));

        var families = parsed.GetProperty("families").EnumerateArray().ToDictionary(family => family.GetProperty("name").GetString()!);
        families["tricky_requests"].GetProperty("help").GetString().ShouldBe("Requests with \"quotes\", a back\\slash and a\nnewline in help.");
        foreach (var name in new[] { "tricky_requests", "tricky_seconds", "tricky_level" })
        {
            families[name].GetProperty("samples").EnumerateArray()
                .Select(sample => sample.GetProperty("labels").GetProperty("value").GetString())
                .ShouldBe(EveryTypeRegistry.TrickyValues);
        }

        families["tricky_duration_seconds"].GetProperty("samples").EnumerateArray()
            .Where(sample => sample.GetProperty("name").GetString() == "tricky_duration_seconds_count")
            .Select(sample => sample.GetProperty("labels").GetProperty("value").GetString())
            .ShouldBe(EveryTypeRegistry.TrickyValues);
        families["negative_bounds"].GetProperty("samples").EnumerateArray().Select(Describe).ShouldBe([
            "negative_bounds_bucket{le=-10.0} 0",
            "negative_bounds_bucket{le=-1.0} 1",
            "negative_bounds_bucket{le=0.0} 1",
            "negative_bounds_bucket{le=1.0} 1",
            "negative_bounds_bucket{le=+Inf} 1",
        ]);
    }

    [Test]
    public void OpenMetrics_registry_with_nothing_to_write_is_only_eof()
    {
        var registry = CreateRegistry(new MetricRegistryOptions());
        registry.CreateCounterFamily("idle", "No series yet.", ["route"]);

        ExpositionText.Of(registry, ExpositionFormat.OpenMetrics).ShouldBe("# EOF\n");
    }

    internal static void PopulateEveryType(MetricRegistry registry)
    {
        registry.CreateCounterFamily("http_requests", "Requests \"served\" by route.\nSecond line: a \\ backslash.", ["route"]).WithLabels("/a").Inc(3);
        registry.CreateDoubleCounter("response_bytes", "Bytes sent.", new FamilyOptions { Unit = "bytes" }).Inc(1.5);
        registry.CreateGauge("queue_depth", "Queued requests.").Set(7);
        var latency = registry.CreateHistogram("request_duration_seconds", "Time to serve a request.", [0.5, 1], new FamilyOptions { Unit = "seconds" });
        latency.Observe(0.25);
        latency.Observe(0.75);
        latency.Observe(3);
        var sizes = registry.CreateSummary(
            "payload_size_bytes",
            "Payload sizes.",
            new SummaryOptions { Objectives = new Dictionary<double, double> { [0.5] = 0.05, [0.9] = 0.01 } },
            new FamilyOptions { Unit = "bytes" });
        for (var size = 1; size <= 10; size++)
        {
            sizes.Observe(size);
        }
    }

    internal static MetricRegistry CreateRegistry(MetricRegistryOptions options)
    {
        options.TimeProvider = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(StartMilliseconds));
        return new MetricRegistry(options);
    }

    private static Activity StartActivity(ActivityTraceFlags flags)
    {
        var activity = new Activity("request");
        activity.SetIdFormat(ActivityIdFormat.W3C);
        activity.SetParentId(ActivityTraceId.CreateFromString(TraceId), ActivitySpanId.CreateFromString(SpanId), flags);
        return activity.Start();
    }

    private static JsonElement Parse(string exposition)
    {
        using var document = OpenMetricsParser.Parse(exposition);
        var root = document.RootElement.Clone();
        root.GetProperty("ok").GetBoolean().ShouldBeTrue(root.ToString());
        return root;
    }

    private static string Describe(JsonElement sample)
    {
        var labels = sample.GetProperty("labels").EnumerateObject().Select(label => $"{label.Name}={label.Value.GetString()}").ToArray();
        var value = sample.GetProperty("value");
        var number = value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetDouble().ToString(System.Globalization.CultureInfo.InvariantCulture);
        return labels.Length == 0
            ? $"{sample.GetProperty("name").GetString()} {number}"
            : $"{sample.GetProperty("name").GetString()}{{{string.Join(",", labels)}}} {number}";
    }
}
