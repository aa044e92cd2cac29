using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Polly.CircuitBreaker;
using static Metrics.Testing.GatewayHarness.GatewaySettings;

namespace Gateway.Tests.Routing;

public class FailoverTests
{
    private const string ChatPath = "/v1/chat/completions";

    [Test]
    public async Task Failing_primary_fails_over_to_secondary_and_its_circuit_opens_then_closes_again_as_polly_reports()
    {
        await using var gateway = await TestGateway.StartAsync(settings => settings
            .Set("Gateway:Resilience:BreakDuration", "00:00:02")
            .Set($"Gateway:Providers:{OpenAIPrimary}:Simulation:LatencyMedianMs", "300"));
        var primary = gateway.Provider(OpenAIPrimary);
        await gateway.SetFaultAsync(OpenAIPrimary, "failing");

        // Attempt 1 fails (1 of 1), the retry fails too (2 of 2 ≥ 0.75 with throughput 2): the circuit opens.
        (await ServedByAsync(gateway)).ShouldBe(OpenAISecondary);
        primary.CircuitBreaker.CircuitState.ShouldBe(CircuitState.Open);
        // Now the open circuit refuses at once, without an attempt or a retry.
        (await ServedByAsync(gateway)).ShouldBe(OpenAISecondary);

        var open = await gateway.ScrapeAsync();
        open.Value("llm_circuit_state", ("provider", OpenAIPrimary)).ShouldBe(1);
        open.Value("llm_circuit_state", ("provider", OpenAISecondary)).ShouldBe(0);
        open.Value("llm_retries_total", ("provider", OpenAIPrimary)).ShouldBe(1);
        open.Value("llm_errors_total", ("error_type", "upstream_5xx"), ("provider", OpenAIPrimary)).ShouldBe(1);
        open.Value("llm_errors_total", ("error_type", "circuit_open"), ("provider", OpenAIPrimary)).ShouldBe(1);
        open.Value("llm_failovers_total", ("from", OpenAIPrimary), ("to", OpenAISecondary)).ShouldBe(2);
        open.Value("llm_requests_total", ("surface", "openai_chat"), ("provider", OpenAISecondary), ("model", GptModel), ("status", "200")).ShouldBe(2);
        open.Value("llm_requests_total", ("surface", "openai_chat"), ("provider", OpenAIPrimary), ("model", GptModel), ("status", "200")).ShouldBe(0);
        open.Value("llm_backends_healthy").ShouldBe(3);
        var stats = await gateway.ManagementJsonAsync("/v1/stats");
        var primaryStats = stats.GetProperty("backends").EnumerateArray().Single(backend => backend.GetProperty("id").GetString() == OpenAIPrimary);
        primaryStats.GetProperty("circuit_state").GetString().ShouldBe("open");
        primaryStats.GetProperty("healthy").GetBoolean().ShouldBeFalse();
        primaryStats.GetProperty("errors").GetInt64().ShouldBe(2);
        primaryStats.GetProperty("retries").GetInt64().ShouldBe(1);

        // Healthy again: once the break is over, the next request is the half-open trial, and its success closes the circuit.
        await gateway.SetFaultAsync(OpenAIPrimary, "healthy");
        var refusedWhileOpen = 0;
        var statesSeen = new HashSet<double>();
        var watch = Stopwatch.StartNew();
        while (true)
        {
            watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(20), "the circuit never let a trial request through");
            var request = ServedByAsync(gateway);
            while (!request.IsCompleted)
            {
                statesSeen.Add(gateway.RegistryValue("llm_circuit_state", OpenAIPrimary));
                await Task.Delay(5);
            }

            var servedBy = await request;
            // Polly runs the state callbacks inside the execution, so once a request is done the gauge has caught up.
            gateway.RegistryValue("llm_circuit_state", OpenAIPrimary).ShouldBe(GaugeValueOf(primary.CircuitBreaker.CircuitState));
            if (servedBy == OpenAIPrimary)
            {
                break;
            }

            refusedWhileOpen++;
            await Task.Delay(50);
        }

        statesSeen.ShouldContain(2, "the trial request should have been seen with the circuit half-open");
        primary.CircuitBreaker.CircuitState.ShouldBe(CircuitState.Closed);
        var closed = await gateway.ScrapeAsync();
        closed.Value("llm_circuit_state", ("provider", OpenAIPrimary)).ShouldBe(0);
        closed.Value("llm_errors_total", ("error_type", "circuit_open"), ("provider", OpenAIPrimary)).ShouldBe(1 + refusedWhileOpen);
        closed.Value("llm_failovers_total", ("from", OpenAIPrimary), ("to", OpenAISecondary)).ShouldBe(2 + refusedWhileOpen);
        closed.Value("llm_requests_total", ("surface", "openai_chat"), ("provider", OpenAISecondary), ("model", GptModel), ("status", "200")).ShouldBe(2 + refusedWhileOpen);
        closed.Value("llm_requests_total", ("surface", "openai_chat"), ("provider", OpenAIPrimary), ("model", GptModel), ("status", "200")).ShouldBe(1);
        closed.Value("llm_retries_total", ("provider", OpenAIPrimary)).ShouldBe(1);
        closed.Sum("llm_errors_total").ShouldBe(2 + refusedWhileOpen);
    }

    [Test]
    public async Task Every_provider_failing_answers_502_with_the_last_error_and_counts_each_failure()
    {
        await using var gateway = await TestGateway.StartAsync();
        await gateway.SetFaultAsync(OpenAIPrimary, "failing");
        await gateway.SetFaultAsync(OpenAISecondary, "failing");

        using var response = await gateway.PostAsync(ChatPath, Requests.Chat(GptModel, "hello"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadGateway);
        (await response.Content.ReadAsStringAsync()).ShouldBe(
            "{\"error\":{\"message\":\"Every provider of model 'gpt-test' failed. Last error: provider 'openai-secondary' answered 500 Internal Server Error.\",\"type\":\"api_error\",\"param\":null,\"code\":\"upstream_failed\"}}");
        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_errors_total", ("error_type", "upstream_5xx"), ("provider", OpenAIPrimary)).ShouldBe(1);
        metrics.Value("llm_errors_total", ("error_type", "upstream_5xx"), ("provider", OpenAISecondary)).ShouldBe(1);
        metrics.Value("llm_errors_total", ("error_type", "no_backend"), ("provider", "none")).ShouldBe(1);
        metrics.Value("llm_retries_total", ("provider", OpenAIPrimary)).ShouldBe(1);
        metrics.Value("llm_retries_total", ("provider", OpenAISecondary)).ShouldBe(1);
        metrics.Value("llm_failovers_total", ("from", OpenAIPrimary), ("to", OpenAISecondary)).ShouldBe(1);
        metrics.Value("llm_requests_total", ("surface", "openai_chat"), ("provider", "none"), ("model", GptModel), ("status", "502")).ShouldBe(1);
        var stats = await gateway.ManagementJsonAsync("/v1/stats");
        stats.GetProperty("requests").GetProperty("errors").GetInt64().ShouldBe(1);
        stats.GetProperty("requests").GetProperty("error_rate").GetDouble().ShouldBe(1);
    }

    [Test]
    public async Task Every_provider_rate_limited_answers_529_overloaded_error_in_the_anthropic_shape()
    {
        await using var gateway = await TestGateway.StartAsync();
        await gateway.SetFaultAsync(AnthropicPrimary, "rate_limited");
        await gateway.SetFaultAsync(AnthropicSecondary, "rate_limited");

        using var response = await gateway.PostAsync("/v1/messages", Requests.Messages(ClaudeModel, "hello"));

        ((int)response.StatusCode).ShouldBe(529);
        (await response.Content.ReadAsStringAsync()).ShouldBe(
            "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Every provider of model 'claude-test' failed. Last error: provider 'anthropic-secondary' answered 429 Too Many Requests.\"}}");
        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_errors_total", ("error_type", "upstream_429"), ("provider", AnthropicPrimary)).ShouldBe(1);
        metrics.Value("llm_errors_total", ("error_type", "upstream_429"), ("provider", AnthropicSecondary)).ShouldBe(1);
        metrics.Value("llm_retries_total", ("provider", AnthropicPrimary)).ShouldBe(1);
        metrics.Value("llm_requests_total", ("surface", "anthropic_messages"), ("provider", "none"), ("model", ClaudeModel), ("status", "529")).ShouldBe(1);
    }

    [Test]
    public async Task Provider_that_never_answers_times_out_per_attempt_and_fails_over()
    {
        await using var gateway = await TestGateway.StartAsync(settings => settings.Set("Gateway:Resilience:AttemptTimeout", "00:00:01"));
        await gateway.SetFaultAsync(OpenAIPrimary, "timeout", count: 2);

        (await ServedByAsync(gateway)).ShouldBe(OpenAISecondary);

        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_errors_total", ("error_type", "timeout"), ("provider", OpenAIPrimary)).ShouldBe(1);
        metrics.Value("llm_retries_total", ("provider", OpenAIPrimary)).ShouldBe(1);
        metrics.Value("llm_failovers_total", ("from", OpenAIPrimary), ("to", OpenAISecondary)).ShouldBe(1);
        metrics.Value("llm_requests_total", ("surface", "openai_chat"), ("provider", OpenAISecondary), ("model", GptModel), ("status", "200")).ShouldBe(1);
    }

    [Test]
    public async Task Unreachable_provider_counts_a_connection_error_and_fails_over()
    {
        var closedPort = ClosedPort();
        await using var gateway = await TestGateway.StartAsync(settings => settings
            .RealProvider("openai-gone", "OpenAI", new Uri($"http://127.0.0.1:{closedPort}"), TestKeys.Upstream)
            .Model("gpt-fallback", "openai-gone", OpenAISecondary));

        using var response = await gateway.PostAsync(ChatPath, Requests.Chat("gpt-fallback", "hello"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues("x-gateway-provider").Single().ShouldBe(OpenAISecondary);
        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_errors_total", ("error_type", "connection"), ("provider", "openai-gone")).ShouldBe(1);
        metrics.Value("llm_retries_total", ("provider", "openai-gone")).ShouldBe(1);
        metrics.Value("llm_failovers_total", ("from", "openai-gone"), ("to", OpenAISecondary)).ShouldBe(1);
    }

    [Test]
    public async Task Model_served_over_another_api_is_translated_and_counted_under_the_clients_surface()
    {
        await using var gateway = await TestGateway.StartAsync();

        using var response = await gateway.PostAsync(ChatPath, Requests.Chat(ClaudeModel, "hello"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues("x-gateway-provider").Single().ShouldBe(AnthropicPrimary);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        body.RootElement.GetProperty("object").GetString().ShouldBe("chat.completion");
        body.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString().ShouldBe("This is a simulated answer from the gateway's");
        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_requests_total", ("surface", "openai_chat"), ("provider", AnthropicPrimary), ("model", ClaudeModel), ("status", "200")).ShouldBe(1);
        metrics.Value("llm_translations_total", ("from_surface", "openai_chat"), ("to_style", "anthropic")).ShouldBe(1);
        metrics.Value("llm_tokens_total", ("provider", AnthropicPrimary), ("model", ClaudeModel), ("type", "completion")).ShouldBe(CompletionTokens);
        metrics.Sum("llm_errors_total").ShouldBe(0);
    }

    private static async Task<string> ServedByAsync(TestGateway gateway)
    {
        using var response = await gateway.PostAsync(ChatPath, Requests.Chat(GptModel, "hello"));
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return response.Headers.GetValues("x-gateway-provider").Single();
    }

    private static double GaugeValueOf(CircuitState state) => global::Gateway.Telemetry.ProviderMetrics.CircuitStateValue(state);

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
