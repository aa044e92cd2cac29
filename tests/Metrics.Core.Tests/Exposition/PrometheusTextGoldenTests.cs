namespace Metrics.Tests.Exposition;

public class PrometheusTextGoldenTests
{
    [Test]
    public void Integer_counter_renders_help_type_and_integer_samples()
    {
        var registry = new MetricRegistry();
        var requests = registry.CreateCounterFamily("http_requests", "Requests served.", ["method", "status"]);
        requests.WithLabels("GET", "200").Inc(1027);
        requests.WithLabels("POST", "500").Inc(3);

        Render(registry).ShouldBe("""
            # HELP http_requests_total Requests served.
            # TYPE http_requests_total counter
            http_requests_total{method="GET",status="200"} 1027
            http_requests_total{method="POST",status="500"} 3

            """);
    }

    [Test]
    public void Double_counter_and_gauges_render_shortest_round_trip_floats()
    {
        var registry = new MetricRegistry();
        registry.CreateDoubleCounter("cpu_seconds", "CPU time.").Inc(0.1 + 0.2);
        registry.CreateGauge("temperature_celsius", "Temperature.").Set(-12.5);
        registry.CreateGauge("start_time_seconds", "Start time.").Set(1_763_900_000.25);
        registry.CreateGauge("tiny", "Tiny.").Set(0.00001);
        registry.CreateGauge("threshold", "Threshold.").Set(0.005);
        registry.CreateGauge("nan_value", "Not a number.").Set(double.NaN);
        registry.CreateGauge("pos_inf", "Plus infinity.").Set(double.PositiveInfinity);
        registry.CreateGauge("neg_inf", "Minus infinity.").Set(double.NegativeInfinity);
        registry.CreateCallbackGauge("pulled", "Pulled.", () => 42);

        Render(registry).ShouldBe("""
            # HELP cpu_seconds_total CPU time.
            # TYPE cpu_seconds_total counter
            cpu_seconds_total 0.30000000000000004
            # HELP nan_value Not a number.
            # TYPE nan_value gauge
            nan_value NaN
            # HELP neg_inf Minus infinity.
            # TYPE neg_inf gauge
            neg_inf -Inf
            # HELP pos_inf Plus infinity.
            # TYPE pos_inf gauge
            pos_inf +Inf
            # HELP pulled Pulled.
            # TYPE pulled gauge
            pulled 42
            # HELP start_time_seconds Start time.
            # TYPE start_time_seconds gauge
            start_time_seconds 1.76390000025e+09
            # HELP temperature_celsius Temperature.
            # TYPE temperature_celsius gauge
            temperature_celsius -12.5
            # HELP threshold Threshold.
            # TYPE threshold gauge
            threshold 0.005
            # HELP tiny Tiny.
            # TYPE tiny gauge
            tiny 1e-05

            """);
    }

    [Test]
    public void Histogram_renders_cumulative_buckets_with_go_style_le_then_sum_and_count()
    {
        var registry = new MetricRegistry();
        var latency = registry.CreateHistogramFamily("request_duration_seconds", "Request latency.", ["route"], [0.005, 0.5, 1, 2.5, 1e6]);
        var models = latency.WithLabels("/v1/models");
        models.Observe(0.003);
        models.Observe(0.4);
        models.Observe(0.75);
        models.Observe(3e6);
        registry.CreateHistogram("unlabeled_seconds", "Unlabeled.", [1]).Observe(0.5);

        Render(registry).ShouldBe("""
            # HELP request_duration_seconds Request latency.
            # TYPE request_duration_seconds histogram
            request_duration_seconds_bucket{route="/v1/models",le="0.005"} 1
            request_duration_seconds_bucket{route="/v1/models",le="0.5"} 2
            request_duration_seconds_bucket{route="/v1/models",le="1"} 3
            request_duration_seconds_bucket{route="/v1/models",le="2.5"} 3
            request_duration_seconds_bucket{route="/v1/models",le="1e+06"} 3
            request_duration_seconds_bucket{route="/v1/models",le="+Inf"} 4
            request_duration_seconds_sum{route="/v1/models"} 3.000001153e+06
            request_duration_seconds_count{route="/v1/models"} 4
            # HELP unlabeled_seconds Unlabeled.
            # TYPE unlabeled_seconds histogram
            unlabeled_seconds_bucket{le="1"} 1
            unlabeled_seconds_bucket{le="+Inf"} 1
            unlabeled_seconds_sum 0.5
            unlabeled_seconds_count 1

            """);
    }

    [Test]
    public void Label_values_escape_backslash_quote_and_newline_and_keep_utf8_intact()
    {
        var registry = new MetricRegistry();
        var family = registry.CreateGaugeFamily("odd_values", "Label values that need care.", ["value"]);
        family.WithLabels("C:\\path\\to").Set(1);
        family.WithLabels("say \"hi\"").Set(2);
        family.WithLabels("line1\nline2").Set(3);
        family.WithLabels("modèle 日本語 🚀").Set(4);
        family.WithLabels("").Set(5);
        family.WithLabels("tab\there {braces} = , #").Set(6);

        Render(registry).ShouldBe("""
            # HELP odd_values Label values that need care.
            # TYPE odd_values gauge
            odd_values{value="C:\\path\\to"} 1
            odd_values{value="say \"hi\""} 2
            odd_values{value="line1\nline2"} 3
            odd_values{value="modèle 日本語 🚀"} 4
            odd_values{value=""} 5
            odd_values{value="tab	here {braces} = , #"} 6

            """);
    }

    [Test]
    public void Help_escapes_backslash_and_newline_but_not_quotes()
    {
        var registry = new MetricRegistry();
        registry.CreateGauge("documented", "A \"quoted\" word,\na second line, a back\\slash and ünïcödé ✓.").Set(1);

        Render(registry).ShouldBe("""
            # HELP documented A "quoted" word,\na second line, a back\\slash and ünïcödé ✓.
            # TYPE documented gauge
            documented 1

            """);
    }

    [Test]
    public void Empty_help_writes_only_the_type_line()
    {
        var registry = new MetricRegistry();
        registry.CreateGauge("undocumented", "").Set(1);

        Render(registry).ShouldBe("# TYPE undocumented gauge\nundocumented 1\n");
    }

    [Test]
    public void Families_come_sorted_by_name_and_series_in_creation_order_and_empty_families_are_left_out()
    {
        var registry = new MetricRegistry();
        var zeta = registry.CreateGaugeFamily("zeta", "Z.", ["k"]);
        registry.CreateGaugeFamily("idle", "No series yet.", ["k"]);
        var alpha = registry.CreateGaugeFamily("alpha", "A.", ["k"]);
        zeta.WithLabels("second").Set(2);
        zeta.WithLabels("first").Set(1);
        alpha.WithLabels("only").Set(0);

        Render(registry).ShouldBe("""
            # HELP alpha A.
            # TYPE alpha gauge
            alpha{k="only"} 0
            # HELP zeta Z.
            # TYPE zeta gauge
            zeta{k="second"} 2
            zeta{k="first"} 1

            """);
        Render(registry).ShouldBe(Render(registry));
    }

    [Test]
    public void Cached_label_bytes_do_not_freeze_values()
    {
        var registry = new MetricRegistry();
        var counter = registry.CreateCounterFamily("hits", "Hits.", ["page"]).WithLabels("home");
        counter.Inc();
        Render(registry).ShouldEndWith("hits_total{page=\"home\"} 1\n");

        counter.Inc(9);

        Render(registry).ShouldEndWith("hits_total{page=\"home\"} 10\n");
    }

    [Test]
    public async Task WriteAsync_writes_the_same_bytes_to_a_stream()
    {
        var registry = new MetricRegistry();
        registry.CreateCounter("streamed", "Streamed.").Inc(2);
        using var stream = new MemoryStream();

        await MetricsExposition.WriteAsync(registry, ExpositionFormat.PrometheusText, stream);

        System.Text.Encoding.UTF8.GetString(stream.ToArray()).ShouldBe(Render(registry));
    }

    [Test]
    public void Large_outputs_span_many_buffer_chunks_intact()
    {
        var registry = new MetricRegistry();
        var family = registry.CreateCounterFamily("wide", "Wide.", ["id"]);
        for (var i = 0; i < 5_000; i++)
        {
            family.WithLabels("series-" + i).Inc(i);
        }

        var lines = Render(registry).Split('\n');

        lines.Length.ShouldBe(5_003);
        lines[2].ShouldBe("wide_total{id=\"series-0\"} 0");
        lines[5_001].ShouldBe("wide_total{id=\"series-4999\"} 4999");
    }

    private static string Render(MetricRegistry registry) => ExpositionText.Of(registry);
}
