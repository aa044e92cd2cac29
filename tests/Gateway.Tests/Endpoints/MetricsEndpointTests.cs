using System.Net;
using Metrics;
using Metrics.Testing;
using static Metrics.Testing.GatewayHarness.GatewaySettings;

namespace Gateway.Tests.Endpoints;

public class MetricsEndpointTests
{
    [Test]
    public async Task Metrics_after_mixed_traffic_and_failures_pass_promtool_check_metrics()
    {
        await using var gateway = await TestGateway.StartAsync();
        await gateway.SetFaultAsync(OpenAIPrimary, "failing", count: 2);
        (await gateway.PostAsync("/v1/chat/completions", Requests.Chat(GptModel, "hello"))).Dispose();
        (await gateway.PostAsync("/v1/responses", Requests.Responses(GptModel, "hello", stream: true))).Dispose();
        (await gateway.PostAsync("/v1/messages", Requests.Messages(ClaudeModel, "hello", stream: true))).Dispose();
        (await gateway.PostAsync("/v1/messages", "{", TestKeys.Beta)).Dispose();
        (await gateway.PostAsync("/v1/chat/completions", Requests.Chat("nope", "hello"), key: null)).Dispose();
        (await gateway.SendAsync(HttpMethod.Post, "/v1/tokens", TestKeys.Alpha)).Dispose();

        var text = await gateway.ScrapeTextAsync();

        var result = Promtool.CheckMetrics(text);
        result.Output.ShouldBeEmpty();
        result.ExitCode.ShouldBe(0);
        foreach (var family in new[]
        {
            "llm_requests_total", "llm_request_duration_seconds", "llm_time_to_first_token_seconds", "llm_errors_total", "llm_retries_total",
            "llm_failovers_total", "llm_circuit_state", "llm_tokens_total", "llm_backends", "llm_backends_healthy", "llm_models_available",
            "llm_backend_health_check_duration_seconds", "llm_account_requests_total", "llm_rate_limited_total", "llm_stream_bytes_total",
            "llm_gateway_tokens_issued_total", "llm_gateway_tokens_revoked_total",
        })
        {
            text.ShouldContain($"# TYPE {family} ");
        }
    }

    [TestCase(null, MetricsExposition.PrometheusTextContentType)]
    [TestCase("text/plain;version=0.0.4;q=0.5,*/*;q=0.1", MetricsExposition.PrometheusTextContentType)]
    [TestCase("application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1", MetricsExposition.OpenMetricsContentType)]
    public async Task Metrics_endpoint_negotiates_the_format_and_names_it_exactly(string? accept, string contentType)
    {
        await using var gateway = await TestGateway.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await gateway.Management.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.ToString().ShouldBe(contentType);
        body.EndsWith("# EOF\n", StringComparison.Ordinal).ShouldBe(contentType == MetricsExposition.OpenMetricsContentType);
        body.ShouldContain("llm_backends 4");
    }

    [Test]
    public async Task Metrics_switched_off_serve_requests_record_nothing_and_expose_no_endpoint()
    {
        await using var gateway = await TestGateway.StartAsync(settings => settings.Set("Gateway:MetricsEnabled", "false"));

        using var chat = await gateway.PostAsync("/v1/chat/completions", Requests.Chat(GptModel, "hello", stream: true));
        var stream = await chat.Content.ReadAsStringAsync();
        stream.ShouldEndWith("data: [DONE]\n\n");
        // Usage only feeds metrics, so with them off the request goes upstream as sent, without asking for usage.
        stream.ShouldNotContain("\"usage\"");
        using var invalid = await gateway.PostAsync("/v1/chat/completions", "{");
        using var metrics = await gateway.SendManagementAsync(HttpMethod.Get, "/metrics");

        chat.StatusCode.ShouldBe(HttpStatusCode.OK);
        invalid.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        metrics.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var stats = await gateway.ManagementJsonAsync("/v1/stats");
        stats.GetProperty("requests").GetProperty("total").GetInt64().ShouldBe(0);
        gateway.RegistryValue("llm_account_requests_total", "alpha").ShouldBe(0);
        gateway.RegistryValue("llm_backends").ShouldBe(double.NaN);
    }

    [Test]
    public async Task Adapter_request_connection_and_usage_metrics_are_served_by_the_gateway()
    {
        await using var gateway = await TestGateway.StartAsync();
        for (var i = 0; i < 3; i++)
        {
            (await gateway.PostAsync("/v1/chat/completions", Requests.Chat(GptModel, "hello"))).Dispose();
        }

        (await gateway.PostAsync("/v1/chat/completions", "{")).Dispose();
        (await gateway.SendAsync(HttpMethod.Get, "/no/such/path", key: null)).Dispose();

        var samples = await gateway.ScrapeAsync();
        samples.Value("http_requests_total", ("route", "/v1/chat/completions"), ("method", "POST"), ("status", "200")).ShouldBe(3);
        samples.Value("http_requests_total", ("route", "/v1/chat/completions"), ("method", "POST"), ("status", "400")).ShouldBe(1);
        samples.Value("http_requests_total", ("route", "unmatched"), ("method", "GET"), ("status", "404")).ShouldBe(1);
        samples.Value("http_request_duration_seconds_count", ("route", "/v1/chat/completions"), ("method", "POST"), ("status", "200")).ShouldBe(3);
        samples.Value("http_requests_in_flight").ShouldBe(0);
        // One keep-alive connection on each listener: the tenant's requests and the scrape.
        samples.Value("http_connections_active").ShouldBe(2);
        samples.Value("http_connections_total").ShouldBe(2);
        samples.Named("http_requests_total").ShouldNotContain(sample => sample.Labels["route"] == "/metrics");

        var usage = await gateway.ManagementJsonAsync("/v1/usage?family=llm_requests_total");
        var family = usage.GetProperty("families").EnumerateArray().Single();
        family.GetProperty("name").GetString().ShouldBe("llm_requests_total");
        family.GetProperty("series").EnumerateArray().Sum(series => series.GetProperty("value").GetDouble()).ShouldBe(4);
    }
}
