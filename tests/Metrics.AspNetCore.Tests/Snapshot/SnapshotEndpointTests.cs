using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;

namespace Metrics.AspNetCore.Tests.Usage;

public sealed class UsageEndpointTests
{
    [Test]
    public async Task Document_lists_every_family_with_exact_camel_case_fields()
    {
        await using var app = await StartWithUsageAsync();

        var document = JsonNode.Parse(await app.GetTestClient().GetStringAsync("/metrics/snapshot"))!.AsObject();
        document.Remove("timestamp").ShouldBeTrue();

        // p95 interpolates 0.95 × 4 − 3 of the way through (2, 4]; in binary floating point that is 0.7999999999999998.
        document.ToJsonString().ShouldBe(
            """{"families":[""" +
            """{"name":"backend_error_ratio","type":"gauge","help":"Errors per request, NaN before the first request.","labelNames":[],"series":[{"labels":{},"value":null}]},""" +
            """{"name":"llm_latency_seconds","type":"histogram","help":"Time to the last token.","labelNames":["model"],"series":[""" +
            """{"labels":{"model":"gpt-4o"},"count":4,"sum":6.5,"buckets":[{"le":1,"count":1},{"le":2,"count":3},{"le":4,"count":4}],"quantiles":[{"quantile":0.5,"value":1.5},{"quantile":0.95,"value":3.5999999999999996},{"quantile":0.99,"value":3.92}]},""" +
            """{"labels":{"model":"claude-sonnet-4"},"count":0,"sum":0,"buckets":[{"le":1,"count":0},{"le":2,"count":0},{"le":4,"count":0}],"quantiles":[{"quantile":0.5,"value":null},{"quantile":0.95,"value":null},{"quantile":0.99,"value":null}]}]""" +
            ""","aggregate":{"labels":{},"count":4,"sum":6.5,"buckets":[{"le":1,"count":1},{"le":2,"count":3},{"le":4,"count":4}],"quantiles":[{"quantile":0.5,"value":1.5},{"quantile":0.95,"value":3.5999999999999996},{"quantile":0.99,"value":3.92}]}},""" +
            """{"name":"llm_requests_total","type":"counter","help":"Requests by model and status.","labelNames":["model","status"],"series":[""" +
            """{"labels":{"model":"gpt-4o","status":"200"},"value":3},{"labels":{"model":"claude-sonnet-4","status":"429"},"value":1}]},""" +
            """{"name":"queue_depth","type":"gauge","help":"Requests waiting.","labelNames":[],"series":[{"labels":{},"value":2.5}]}""" +
            "]}");
    }

    [Test]
    public async Task Response_is_utf8_json_that_is_never_cached()
    {
        await using var app = await StartWithUsageAsync();

        using var response = await app.GetTestClient().GetAsync("/metrics/snapshot");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.ToString().ShouldBe("application/json; charset=utf-8");
        response.Headers.CacheControl!.ToString().ShouldBe("no-store");
    }

    [Test]
    public async Task Timestamp_is_the_collection_time_in_utc()
    {
        await using var app = await StartWithUsageAsync();

        var before = DateTimeOffset.UtcNow;
        using var document = JsonDocument.Parse(await app.GetTestClient().GetStringAsync("/metrics/snapshot"));
        var after = DateTimeOffset.UtcNow;

        var timestamp = document.RootElement.GetProperty("timestamp");
        timestamp.GetString()!.ShouldEndWith("+00:00");
        timestamp.GetDateTimeOffset().ShouldBeInRange(before, after);
    }

    [TestCase("?family=queue_depth&family=llm_requests_total", new[] { "llm_requests_total", "queue_depth" })]
    [TestCase("?prefix=llm_", new[] { "llm_latency_seconds", "llm_requests_total" })]
    [TestCase("?prefix=llm_&family=llm_requests_total&family=queue_depth", new[] { "llm_requests_total" })]
    [TestCase("?family=llm_requests", new string[0])]
    [TestCase("?prefix=nothing_", new string[0])]
    [TestCase("", new[] { "backend_error_ratio", "llm_latency_seconds", "llm_requests_total", "queue_depth" })]
    public async Task Family_and_prefix_filters_keep_only_matching_families(string query, string[] expected)
    {
        await using var app = await StartWithUsageAsync();

        using var document = JsonDocument.Parse(await app.GetTestClient().GetStringAsync("/metrics/snapshot" + query));

        document.RootElement.GetProperty("families").EnumerateArray().Select(static family => family.GetProperty("name").GetString()).ShouldBe(expected);
    }

    [Test]
    public async Task Other_methods_get_405()
    {
        await using var app = await StartWithUsageAsync();

        (await app.GetTestClient().PostAsync("/metrics/snapshot", null)).StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
    }

    [Test]
    public async Task Custom_pattern_serves_the_document_there()
    {
        await using var app = await TestApplications.StartAsync(static app => app.MapPrometheusMetricsSnapshot("/admin/usage"));
        app.Registry().CreateGauge("queue_depth", "Requests waiting.").Set(1);

        var json = await app.GetTestClient().GetStringAsync("/admin/usage");

        json.ShouldContain("""{"name":"queue_depth","type":"gauge","help":"Requests waiting.","labelNames":[],"series":[{"labels":{},"value":1}]}""");
    }

    [Test]
    public async Task Summaries_list_their_quantiles_count_and_sum()
    {
        await using var app = await TestApplications.StartAsync(static app => app.MapPrometheusMetricsSnapshot());
        var summary = app.Registry().CreateSummary(
            "queue_wait_seconds", "Time spent queued.", new SummaryOptions { Objectives = new Dictionary<double, double> { [0.5] = 0.05, [0.99] = 0.001 } });
        for (var i = 0; i < 4; i++)
        {
            summary.Observe(0.25);
        }

        var json = await app.GetTestClient().GetStringAsync("/metrics/snapshot?family=queue_wait_seconds");

        json.ShouldContain(
            """{"name":"queue_wait_seconds","type":"summary","help":"Time spent queued.","labelNames":[],"series":[""" +
            """{"labels":{},"count":4,"sum":1,"quantiles":[{"quantile":0.5,"value":0.25},{"quantile":0.99,"value":0.25}]}]}""");
    }

    [Test]
    public async Task A_histogram_family_carries_its_series_summed_by_le_with_their_quantiles()
    {
        await using var app = await TestApplications.StartAsync(static app => app.MapPrometheusMetricsSnapshot());
        var latency = app.Registry().CreateHistogramFamily("upstream_latency_seconds", "Upstream latency.", ["provider"], [1, 2, 4]);
        latency.WithLabels("a").Observe(0.5);
        latency.WithLabels("a").Observe(1.5);
        latency.WithLabels("b").Observe(3);
        latency.WithLabels("b").Observe(3.5);

        var family = JsonNode.Parse(await app.GetTestClient().GetStringAsync("/metrics/snapshot?family=upstream_latency_seconds"))!["families"]![0]!;

        // Cumulative 1, 2, 4 of 4: the median is the top of the second bucket; p95 and p99 interpolate in the third.
        family["aggregate"]!.ToJsonString().ShouldBe(
            """{"labels":{},"count":4,"sum":8.5,"buckets":[{"le":1,"count":1},{"le":2,"count":2},{"le":4,"count":4}],"quantiles":[{"quantile":0.5,"value":2},{"quantile":0.95,"value":3.8},{"quantile":0.99,"value":3.96}]}""");
    }

    [Test]
    public async Task Families_other_than_histograms_and_empty_histograms_have_no_aggregate()
    {
        await using var app = await TestApplications.StartAsync(static app => app.MapPrometheusMetricsSnapshot());
        app.Registry().CreateCounter("jobs_total", "Jobs.").Inc();
        app.Registry().CreateHistogramFamily("idle_seconds", "Idle.", ["pool"], [1]);

        var json = await app.GetTestClient().GetStringAsync("/metrics/snapshot");

        json.ShouldNotContain("aggregate");
        json.ShouldContain("""{"name":"idle_seconds","type":"histogram","help":"Idle.","labelNames":["pool"],"series":[]}""");
    }

    private static async Task<WebApplication> StartWithUsageAsync()
    {
        var app = await TestApplications.StartAsync(static app => app.MapPrometheusMetricsSnapshot());
        var registry = app.Registry();
        var requests = registry.CreateCounterFamily("llm_requests_total", "Requests by model and status.", ["model", "status"]);
        requests.WithLabels("gpt-4o", "200").Inc(3);
        requests.WithLabels("claude-sonnet-4", "429").Inc();
        var latency = registry.CreateHistogramFamily("llm_latency_seconds", "Time to the last token.", ["model"], [1, 2, 4]);
        foreach (var seconds in new[] { 0.5, 1.5, 1.5, 3 })
        {
            latency.WithLabels("gpt-4o").Observe(seconds);
        }

        latency.WithLabels("claude-sonnet-4");
        registry.CreateGauge("queue_depth", "Requests waiting.").Set(2.5);
        registry.CreateGauge("backend_error_ratio", "Errors per request, NaN before the first request.").Set(double.NaN);
        return app;
    }
}
