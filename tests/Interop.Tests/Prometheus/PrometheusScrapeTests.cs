using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Metrics;
using Microsoft.Extensions.DependencyInjection;
using static Metrics.Testing.GatewayHarness.GatewaySettings;

namespace Interop.Tests.Prometheus;

/// <summary>
/// The real gateway on Kestrel, its management listener scraped over TCP by a real Prometheus server, and queried
/// through Prometheus's HTTP API: what Prometheus stored must equal the traffic the test sent, request for request.
/// </summary>
[NonParallelizable]
public sealed class PrometheusScrapeTests
{
    private const string Chat = "/v1/chat/completions";
    private const string Responses = "/v1/responses";
    private const string Messages = "/v1/messages";
    private const double RelativeTolerance = 1e-9;

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ScrapeTimeout = TimeSpan.FromSeconds(30);

    private readonly HashSet<string> _traceIds = new(StringComparer.Ordinal);

    [Test]
    public async Task Prometheus_scrapes_the_gateway_and_its_queries_match_the_exact_traffic_sent()
    {
        await using var gateway = await TestGateway.StartAsync(settings => settings
            .Set("PrometheusMetrics:EnableExemplars", "true")
            // Failures stay exact: no circuit opens, so only the faults the test sets fail a request.
            .Set("Gateway:Resilience:MinimumThroughput", "1000")
            // Fixed latencies in different buckets, so the quantiles interpolate across buckets instead of inside the first.
            .Set($"Gateway:Providers:{OpenAIPrimary}:Simulation:LatencyMedianMs", "150")
            .Set($"Gateway:Providers:{OpenAIPrimary}:Simulation:FirstTokenMedianMs", "150")
            .Set($"Gateway:Providers:{OpenAISecondary}:Simulation:LatencyMedianMs", "300")
            .Set($"Gateway:Providers:{AnthropicPrimary}:Simulation:LatencyMedianMs", "120"));
        await using var prometheus = await PrometheusServer.StartAsync(gateway.ManagementUri.Authority, ReadyTimeout);

        await SendTrafficAsync(gateway);
        await Eventually.TrueAsync(
            () => gateway.Services.GetRequiredService<MetricRegistry>().Collect().Find("llm_requests_total")!.Series.Sum(series => series.Value) == 21,
            "the gateway has counted every request it answered");
        await prometheus.WaitForScrapeAfterAsync(DateTimeOffset.UtcNow, ScrapeTimeout);

        (await prometheus.ScalarAsync($"up{{job=\"{PrometheusServer.Job}\"}}")).ShouldBe(1);
        using (var onPublic = await gateway.Client.GetAsync("metrics"))
        {
            onPublic.StatusCode.ShouldBe(HttpStatusCode.NotFound, "Prometheus scrapes the management listener; tenants must not reach /metrics");
        }

        (await prometheus.ScalarAsync("sum(llm_requests_total)")).ShouldBe(21);
        (await prometheus.ByLabelsAsync("sum by (surface) (llm_requests_total)", "surface")).ShouldBe(new SortedDictionary<string, double>(StringComparer.Ordinal)
        {
            ["openai_chat"] = 9,
            ["openai_responses"] = 4,
            ["anthropic_messages"] = 8,

            // Every route of an Anthropic-style provider counts token-count requests from the start, at 0.
            ["anthropic_count_tokens"] = 0,
        });
        (await prometheus.ByLabelsAsync("sum by (status) (llm_requests_total)", "status")).ShouldBe(new SortedDictionary<string, double>(StringComparer.Ordinal)
        {
            ["200"] = 17,
            ["400"] = 1,
            ["401"] = 1,
            ["404"] = 1,
            ["502"] = 1,
        });
        (await prometheus.ByLabelsAsync("sum by (surface, provider, status) (llm_requests_total) > 0", "surface", "provider", "status")).ShouldBe(new SortedDictionary<string, double>(StringComparer.Ordinal)
        {
            [$"openai_chat/{OpenAIPrimary}/200"] = 6,
            [$"openai_chat/{OpenAISecondary}/200"] = 1,
            ["openai_chat/none/401"] = 1,
            ["openai_chat/none/404"] = 1,
            [$"openai_responses/{OpenAIPrimary}/200"] = 3,
            [$"openai_responses/{OpenAISecondary}/200"] = 1,
            [$"anthropic_messages/{AnthropicPrimary}/200"] = 6,
            [$"anthropic_messages/{AnthropicPrimary}/400"] = 1,
            ["anthropic_messages/none/502"] = 1,
        });
        (await prometheus.ScalarAsync("sum(llm_failovers_total)")).ShouldBe(3);
        (await prometheus.ByLabelsAsync("llm_failovers_total", "from", "to")).ShouldBe(new SortedDictionary<string, double>(StringComparer.Ordinal)
        {
            [$"{OpenAIPrimary}/{OpenAISecondary}"] = 2,
            [$"{AnthropicPrimary}/{AnthropicSecondary}"] = 1,
        });

        await QuantilesShouldMatchTheGatewaysAsync(gateway, prometheus);
        await ExemplarsShouldCarryTheSentTracesAsync(prometheus);
    }

    private static async Task QuantilesShouldMatchTheGatewaysAsync(TestGateway gateway, PrometheusServer prometheus)
    {
        // Per series: /v1/usage's p50 against PromQL's histogram_quantile over the same buckets.
        var usage = await gateway.ManagementJsonAsync("/v1/usage?family=llm_request_duration_seconds");
        var observed = 0;
        foreach (var series in usage.GetProperty("families")[0].GetProperty("series").EnumerateArray().Where(series => series.GetProperty("count").GetInt64() > 0))
        {
            var labels = series.GetProperty("labels");
            var selector = $"llm_request_duration_seconds_bucket{{provider=\"{labels.GetProperty("provider").GetString()}\",model=\"{labels.GetProperty("model").GetString()}\"}}";
            ShouldBeRelatively(await prometheus.ScalarAsync($"histogram_quantile(0.5, {selector})"), series.GetProperty("p50").GetDouble(), selector);
            observed++;
        }

        observed.ShouldBe(3, "gpt-test on both OpenAI providers and claude-test on the Anthropic primary served requests");

        // Over every series: /v1/usage's aggregate of the family against PromQL's sum by (le).
        var p50 = await prometheus.ScalarAsync("histogram_quantile(0.5, sum by (le) (llm_request_duration_seconds_bucket))");
        ShouldBeRelatively(p50, usage.GetProperty("families")[0].GetProperty("aggregate").GetProperty("p50").GetDouble(), "the p50 over every series");
        p50.ShouldBeGreaterThan(0.1, "the providers' 120 to 300 ms answers move the median out of the first bucket");

        // Per model: /v1/stats, in milliseconds.
        var stats = await gateway.ManagementJsonAsync("/v1/stats");
        foreach (var model in stats.GetProperty("models").EnumerateArray())
        {
            var name = model.GetProperty("name").GetString();
            var promql = $"histogram_quantile(0.5, sum by (le) (llm_request_duration_seconds_bucket{{model=\"{name}\"}}))";
            ShouldBeRelatively(await prometheus.ScalarAsync(promql) * 1000, model.GetProperty("p50_duration_ms").GetDouble(), promql);
        }
    }

    private static void ShouldBeRelatively(double actual, double expected, string what) =>
        actual.ShouldBe(expected, Math.Abs(expected) * RelativeTolerance, what);

    private async Task ExemplarsShouldCarryTheSentTracesAsync(PrometheusServer prometheus)
    {
        var buckets = await prometheus.QueryExemplarsAsync("http_request_duration_seconds_bucket");
        var seen = 0;
        foreach (var series in buckets.EnumerateArray())
        {
            var labels = series.GetProperty("seriesLabels");
            var le = labels.GetProperty("le").GetString()!;
            foreach (var exemplar in series.GetProperty("exemplars").EnumerateArray())
            {
                ShouldCarryASentTrace(exemplar, series);
                var value = double.Parse(exemplar.GetProperty("value").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
                if (le != "+Inf")
                {
                    value.ShouldBeLessThanOrEqualTo(double.Parse(le, System.Globalization.CultureInfo.InvariantCulture), $"exemplar on {series}");
                }

                seen++;
            }
        }

        seen.ShouldBeGreaterThan(0, "Prometheus stored no exemplar of http_request_duration_seconds; the scrape did not carry OpenMetrics exemplars");
        var counters = await prometheus.QueryExemplarsAsync($"http_requests_total{{route=\"{Chat}\"}}");
        var counterExemplars = 0;
        foreach (var series in counters.EnumerateArray())
        {
            foreach (var exemplar in series.GetProperty("exemplars").EnumerateArray())
            {
                ShouldCarryASentTrace(exemplar, series);
                counterExemplars++;
            }
        }

        counterExemplars.ShouldBeGreaterThan(0, "Prometheus stored no exemplar of http_requests_total");
    }

    private void ShouldCarryASentTrace(JsonElement exemplar, JsonElement series)
    {
        var labels = exemplar.GetProperty("labels");
        _traceIds.ShouldContain(labels.GetProperty("trace_id").GetString()!, $"exemplar on {series}");
        labels.GetProperty("span_id").GetString()!.Length.ShouldBe(16);
    }

    private async Task SendTrafficAsync(TestGateway gateway)
    {
        for (var round = 0; round < 3; round++)
        {
            await SendAsync(gateway, Chat, Requests.Chat(GptModel, "Hello"), HttpStatusCode.OK);
            await SendAsync(gateway, Chat, Requests.Chat(GptModel, "Stream it", stream: true), HttpStatusCode.OK);
            await SendAsync(gateway, Responses, Requests.Responses(GptModel, "What is a histogram?"), HttpStatusCode.OK);
            await SendAsync(gateway, Messages, Requests.Messages(ClaudeModel, "Bonjour"), HttpStatusCode.OK);
            await SendAsync(gateway, Messages, Requests.Messages(ClaudeModel, "Stream it", stream: true), HttpStatusCode.OK);
        }

        // The attempt and its one retry fail, then the secondary serves: one failover each.
        await gateway.SetFaultAsync(OpenAIPrimary, "failing", count: 2);
        await SendAsync(gateway, Chat, Requests.Chat(GptModel, "Fail over"), HttpStatusCode.OK, OpenAISecondary);
        await gateway.SetFaultAsync(OpenAIPrimary, "failing", count: 2);
        await SendAsync(gateway, Responses, Requests.Responses(GptModel, "Fail over, streaming", stream: true), HttpStatusCode.OK, OpenAISecondary);

        // Both providers of the chain fail: one failover, then 502 from the gateway itself.
        await gateway.SetFaultAsync(AnthropicPrimary, "failing", count: 2);
        await gateway.SetFaultAsync(AnthropicSecondary, "failing", count: 2);
        await SendAsync(gateway, Messages, Requests.Messages(ClaudeModel, "Everything fails"), HttpStatusCode.BadGateway);

        await SendAsync(gateway, Chat, Requests.Chat(GptModel, "Wrong key"), HttpStatusCode.Unauthorized, key: "not-a-key");
        await SendAsync(gateway, Chat, Requests.Chat("gpt-imaginary", "Unknown model"), HttpStatusCode.NotFound);
        await SendAsync(gateway, Messages, """{"model":"claude-test","messages":[{"role":"user","content":"no max_tokens"}]}""", HttpStatusCode.BadRequest);
    }

    /// <summary>Sends one request with a fresh sampled W3C trace context and checks the status (and serving provider) it got.</summary>
    private async Task SendAsync(TestGateway gateway, string path, string json, HttpStatusCode status, string? servedBy = null, string key = TestKeys.Alpha)
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        _traceIds.Add(traceId);

        // Requests go one at a time, so the client's default headers carry each one's own trace context.
        var headers = gateway.Client.DefaultRequestHeaders;
        headers.Remove("traceparent");
        headers.TryAddWithoutValidation("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using var response = await gateway.PostAsync(path, json, key);
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, $"{path}: {body}");
        if (servedBy is not null)
        {
            response.Headers.GetValues("x-gateway-provider").Single().ShouldBe(servedBy);
        }
    }
}
