using Metrics.Testing;

namespace Metrics.Tests.Exposition;

public sealed class PrometheusTextSummaryAndExemplarTests
{
    [Test]
    public void Text_format_writes_summaries_and_never_exemplars_units_or_created_samples()
    {
        var registry = OpenMetricsWriterTests.CreateRegistry(new MetricRegistryOptions { EnableCreatedSamples = true });
        OpenMetricsWriterTests.PopulateEveryType(registry);
        var requests = (MetricFamily<Counter>)registry.Families.Single(family => family.Name == "http_requests_total");
        requests.WithLabels("/a").Inc(1, Exemplar.ForTrace("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331"));
        registry.CreateHistogram("request_duration_seconds", "Time to serve a request.", [0.5, 1], new FamilyOptions { Unit = "seconds" })
            .Observe(0.75, new Exemplar("id", "x"));

        var text = ExpositionText.Of(registry);

        text.ShouldBe(
            """
            # HELP http_requests_total Requests "served" by route.\nSecond line: a \\ backslash.
            # TYPE http_requests_total counter
            http_requests_total{route="/a"} 4
            # HELP payload_size_bytes Payload sizes.
            # TYPE payload_size_bytes summary
            payload_size_bytes{quantile="0.5"} 5
            payload_size_bytes{quantile="0.9"} 9
            payload_size_bytes_sum 55
            payload_size_bytes_count 10
            # HELP queue_depth Queued requests.
            # TYPE queue_depth gauge
            queue_depth 7
            # HELP request_duration_seconds Time to serve a request.
            # TYPE request_duration_seconds histogram
            request_duration_seconds_bucket{le="0.5"} 1
            request_duration_seconds_bucket{le="1"} 3
            request_duration_seconds_bucket{le="+Inf"} 4
            request_duration_seconds_sum 4.75
            request_duration_seconds_count 4
            # HELP response_bytes_total Bytes sent.
            # TYPE response_bytes_total counter
            response_bytes_total 1.5

            """.ReplaceLineEndings("\n"));
        var promtool = Promtool.CheckMetrics(text);
        promtool.ExitCode.ShouldBe(0, promtool.Output);
        promtool.Output.ShouldBeEmpty();
    }

    [Test]
    public void Text_format_of_a_labeled_summary_puts_quantile_after_the_family_labels_and_passes_promtool()
    {
        var registry = OpenMetricsWriterTests.CreateRegistry(new MetricRegistryOptions());
        var latency = registry.CreateSummaryFamily(
            "rpc_duration_seconds",
            "RPC latency.",
            ["service", "method"],
            new SummaryOptions { Objectives = new Dictionary<double, double> { [0.99] = 0.001, [0.5] = 0.05 } });
        latency.WithLabels("users", "get").Observe(0.25);
        latency.WithLabels("users", "put").Observe(0.125);
        latency.WithLabels("users", "put").Observe(0.5);

        var text = ExpositionText.Of(registry);

        text.ShouldBe(
            """
            # HELP rpc_duration_seconds RPC latency.
            # TYPE rpc_duration_seconds summary
            rpc_duration_seconds{service="users",method="get",quantile="0.5"} 0.25
            rpc_duration_seconds{service="users",method="get",quantile="0.99"} 0.25
            rpc_duration_seconds_sum{service="users",method="get"} 0.25
            rpc_duration_seconds_count{service="users",method="get"} 1
            rpc_duration_seconds{service="users",method="put",quantile="0.5"} 0.125
            rpc_duration_seconds{service="users",method="put",quantile="0.99"} 0.5
            rpc_duration_seconds_sum{service="users",method="put"} 0.625
            rpc_duration_seconds_count{service="users",method="put"} 2

            """.ReplaceLineEndings("\n"));
        var promtool = Promtool.CheckMetrics(text);
        promtool.ExitCode.ShouldBe(0, promtool.Output);
        promtool.Output.ShouldBeEmpty();
    }

    [Test]
    public void Text_format_writes_NaN_quantiles_of_an_empty_window_and_passes_promtool()
    {
        var registry = OpenMetricsWriterTests.CreateRegistry(new MetricRegistryOptions());
        registry.CreateSummary("idle_seconds", "Nothing observed yet.", new SummaryOptions { Objectives = new Dictionary<double, double> { [0.9] = 0.01 } });

        var text = ExpositionText.Of(registry);

        text.ShouldBe(
            """
            # HELP idle_seconds Nothing observed yet.
            # TYPE idle_seconds summary
            idle_seconds{quantile="0.9"} NaN
            idle_seconds_sum 0
            idle_seconds_count 0

            """.ReplaceLineEndings("\n"));
        var promtool = Promtool.CheckMetrics(text);
        promtool.ExitCode.ShouldBe(0, promtool.Output);
        promtool.Output.ShouldBeEmpty();
    }
}
