using System.Net;
using static Metrics.Testing.GatewayHarness.GatewaySettings;

namespace Gateway.Tests.Resilience;

public class RetryTests
{
    [Test]
    public async Task A_429_followed_by_success_is_retried_on_the_same_provider_and_counted_once()
    {
        await using var gateway = await TestGateway.StartAsync();
        await gateway.SetFaultAsync(OpenAIPrimary, "rate_limited", count: 1);

        using var response = await gateway.PostAsync("/v1/chat/completions", Requests.Chat(GptModel, "hello"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues("x-gateway-provider").Single().ShouldBe(OpenAIPrimary);
        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_retries_total", ("provider", OpenAIPrimary)).ShouldBe(1);
        metrics.Value("llm_retries_total", ("provider", OpenAISecondary)).ShouldBe(0);
        metrics.Value("llm_requests_total", ("surface", "openai_chat"), ("provider", OpenAIPrimary), ("model", GptModel), ("status", "200")).ShouldBe(1);
        metrics.Sum("llm_errors_total").ShouldBe(0);
        metrics.Sum("llm_failovers_total").ShouldBe(0);
        // One failure in two attempts stays under the 0.75 failure ratio.
        metrics.Value("llm_circuit_state", ("provider", OpenAIPrimary)).ShouldBe(0);
    }

    [Test]
    public async Task A_500_on_every_attempt_exhausts_the_retries_before_failing_over()
    {
        await using var gateway = await TestGateway.StartAsync(settings => settings
            .Set("Gateway:Resilience:MaxRetryAttempts", "3")
            .Set("Gateway:Resilience:MinimumThroughput", "10"));
        await gateway.SetFaultAsync(AnthropicPrimary, "failing", count: 4);

        using var response = await gateway.PostAsync("/v1/messages", Requests.Messages(ClaudeModel, "hello"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues("x-gateway-provider").Single().ShouldBe(AnthropicSecondary);
        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_retries_total", ("provider", AnthropicPrimary)).ShouldBe(3);
        metrics.Value("llm_errors_total", ("error_type", "upstream_5xx"), ("provider", AnthropicPrimary)).ShouldBe(1);
        metrics.Value("llm_failovers_total", ("from", AnthropicPrimary), ("to", AnthropicSecondary)).ShouldBe(1);
    }
}
