using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Metrics.AspNetCore.Tests.Live;

public sealed class HistoryEndpointTests
{
    private FakeTimeProvider _clock = null!;

    [SetUp]
    public void CreateClock() => _clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Test]
    public async Task Counter_rates_are_camel_case_json_with_null_where_unknown()
    {
        await using var app = await StartAsync();
        var requests = app.Registry().CreateCounterFamily("requests", "Requests.", ["route"]);
        requests.WithLabels("/a").Inc(50);
        requests.WithLabels("/b").Inc(20);
        _clock.Advance(TimeSpan.FromSeconds(10));

        var json = await app.GetTestClient().GetStringAsync("/metrics/history?family=requests_total");

        json.ShouldBe(
            """{"type":"history","firstSequence":0,"lastSequence":1,"intervalSeconds":10,""" +
            "\"timestamps\":[\"2026-01-01T00:00:00+00:00\",\"2026-01-01T00:00:10+00:00\"],\"families\":[" +
            """{"selector":"requests_total","name":"requests_total","type":"counter","labelNames":["route"],"series":[""" +
            """{"labels":{"route":"/a"},"rate":[null,5],"increase":50},{"labels":{"route":"/b"},"rate":[null,2],"increase":20}]}]}""");
    }

    [Test]
    public async Task Summed_histogram_has_windowed_quantiles_and_average_and_gauges_have_values()
    {
        await using var app = await StartAsync(registry =>
        {
            registry.CreateHistogramFamily("latency_seconds", "Latency.", ["provider"], [1, 2, 4]);
            registry.CreateGauge("queue_depth", "Depth.").Set(2.5);
        });
        var latency = app.Registry().CreateHistogramFamily("latency_seconds", "Latency.", ["provider"], [1, 2, 4]);
        for (var i = 0; i < 10; i++)
        {
            latency.WithLabels("a").Observe(0.5);
            latency.WithLabels("b").Observe(3);
        }

        app.Registry().CreateGauge("queue_depth", "Depth.").Set(7);
        _clock.Advance(TimeSpan.FromSeconds(10));

        var json = await app.GetTestClient().GetStringAsync("/metrics/history?family=latency_seconds%5B%5D&family=queue_depth");

        json.ShouldEndWith(
            "\"families\":[" +
            """{"selector":"latency_seconds[]","name":"latency_seconds","type":"histogram","labelNames":[],"series":[""" +
            """{"labels":{},"rate":[null,2],"increase":20,"quantiles":[{"quantile":0.5,"values":[null,1]},{"quantile":0.95,"values":[null,3.8]},{"quantile":0.99,"values":[null,3.96]}],"average":[null,1.75]}]},""" +
            """{"selector":"queue_depth","name":"queue_depth","type":"gauge","labelNames":[],"series":[{"labels":{},"value":[2.5,7]}]}]}""");
    }

    [Test]
    public async Task Native_histogram_has_windowed_quantiles_from_its_native_buckets()
    {
        // A bucket factor of 2 gives schema 0, whose buckets include (2, 4] and (4, 8].
        await using var app = await StartAsync(registry => registry.CreateNativeHistogram("latency_seconds", "Latency.", new NativeHistogramOptions { BucketFactor = 2 }));
        var latency = app.Registry().CreateNativeHistogram("latency_seconds", "Latency.", new NativeHistogramOptions { BucketFactor = 2 });
        for (var i = 0; i < 10; i++)
        {
            latency.Observe(3);
            latency.Observe(6);
        }

        _clock.Advance(TimeSpan.FromSeconds(10));

        var json = await app.GetTestClient().GetStringAsync("/metrics/history?family=latency_seconds");

        // By hand: 10 in (2, 4] and 10 in (4, 8]. p50: rank 10 tops (2, 4], 4; p95: rank 19 is 9 into (4, 8],
        // 4 + 4 × 9/10 = 7.6; p99: rank 19.8, 4 + 4 × 9.8/10 = 7.92. Average (30 + 60) / 20 = 4.5.
        json.ShouldEndWith(
            "\"families\":[" +
            """{"selector":"latency_seconds","name":"latency_seconds","type":"histogram","labelNames":[],"series":[""" +
            """{"labels":{},"rate":[null,2],"increase":20,"quantiles":[{"quantile":0.5,"values":[null,4]},{"quantile":0.95,"values":[null,7.6]},{"quantile":0.99,"values":[null,7.92]}],"average":[null,4.5]}]}]}""");
    }

    [Test]
    public async Task Window_keeps_the_points_that_cover_it()
    {
        await using var app = await StartAsync(registry => registry.CreateCounter("requests", "Requests."));
        _clock.Advance(TimeSpan.FromSeconds(10));
        _clock.Advance(TimeSpan.FromSeconds(10));

        var json = await app.GetTestClient().GetStringAsync("/metrics/history?family=requests_total&window=15s");

        json.ShouldStartWith("""{"type":"history","firstSequence":1,"lastSequence":2,"intervalSeconds":10,"timestamps":["2026-01-01T00:00:10+00:00","2026-01-01T00:00:20+00:00"],""");
    }

    [Test]
    public async Task Without_family_every_family_is_read()
    {
        await using var app = await StartAsync(registry =>
        {
            registry.CreateCounter("requests", "Requests.");
            registry.CreateGauge("queue_depth", "Depth.");
        });

        using var document = System.Text.Json.JsonDocument.Parse(await app.GetTestClient().GetStringAsync("/metrics/history"));

        document.RootElement.GetProperty("families").EnumerateArray().Select(family => family.GetProperty("name").GetString())
            .ShouldBe(["metrics_live_clients", "metrics_live_clients_dropped_total", "metrics_live_clients_rejected_total", "queue_depth", "requests_total"]);
    }

    [TestCase("?family=requests_total&window=abc", "Invalid window 'abc': give a positive number of seconds, or a number followed by s, m or h, such as 90, 30s, 5m or 1h.")]
    [TestCase("?family=requests_total&window=0", "Invalid window '0': give a positive number of seconds, or a number followed by s, m or h, such as 90, 30s, 5m or 1h.")]
    [TestCase("?family=requests_total&window=-5m", "Invalid window '-5m': give a positive number of seconds, or a number followed by s, m or h, such as 90, 30s, 5m or 1h.")]
    [TestCase("?family=requests", "Unknown metric family 'requests': the registry has no family of that name (counter names end in _total).")]
    [TestCase("?family=requests_total%5Bstatus%5D", "Metric 'requests_total' has no label 'status' to sum by; its labels are [route].")]
    [TestCase("?family=requests_total%5B", "Invalid family 'requests_total[': give a family name, optionally followed by the labels to sum by in brackets, such as http_requests_total or http_requests_total[status].")]
    public async Task Bad_query_gets_400_with_a_json_error_that_says_what_to_fix(string query, string message)
    {
        await using var app = await StartAsync(registry => registry.CreateCounterFamily("requests", "Requests.", ["route"]));

        using var response = await app.GetTestClient().GetAsync("/metrics/history" + query);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.ToString().ShouldBe("application/json; charset=utf-8");
        (await response.Content.ReadAsStringAsync()).ShouldBe(
            System.Text.Json.JsonSerializer.Serialize(new { error = "invalid_query", message }));
    }

    [Test]
    public async Task Mapping_without_the_history_services_says_what_to_add()
    {
        var error = await Should.ThrowAsync<InvalidOperationException>(
            () => TestApplications.StartAsync(static app => app.MapPrometheusMetricsHistory()));

        error.Message.ShouldBe(
            "MapPrometheusMetricsHistory needs the services of AddPrometheusMetricsHistory: call builder.Services.AddPrometheusMetricsHistory() when configuring services.");
    }

    [Test]
    public void Interval_below_one_second_fails_at_start()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => TestApplications.StartAsync(
            static app => app.MapPrometheusMetricsHistory(),
            configureBuilder: static builder => builder.Services.AddPrometheusMetricsHistory(static options => options.Interval = TimeSpan.FromMilliseconds(500))));
    }

    private Task<WebApplication> StartAsync(Action<MetricRegistry>? createMetrics = null) =>
        TestApplications.StartAsync(
            app =>
            {
                createMetrics?.Invoke(app.Registry());
                app.MapPrometheusMetricsHistory();
            },
            configureBuilder: builder => builder.Services.AddPrometheusMetricsHistory(options =>
            {
                options.Interval = TimeSpan.FromSeconds(10);
                options.TimeProvider = _clock;
            }));
}
