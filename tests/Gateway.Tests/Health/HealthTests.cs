using System.Net;
using static Metrics.Testing.GatewayHarness.GatewaySettings;

namespace Gateway.Tests.Health;

public class HealthTests
{
    [Test]
    public async Task Periodic_probes_record_their_latency_and_a_failing_provider_turns_unhealthy_then_healthy()
    {
        await using var gateway = await TestGateway.StartAsync(settings => settings.Set("Gateway:HealthChecks:Interval", "00:00:00.100"));
        await WaitForHealthyAsync(gateway, 4);
        var health = await gateway.ManagementJsonAsync("/health");
        health.GetProperty("status").GetString().ShouldBe("healthy");
        health.GetProperty("backends_healthy").GetInt32().ShouldBe(4);

        await gateway.SetFaultAsync(AnthropicSecondary, "failing");
        await WaitForHealthyAsync(gateway, 3);

        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_backends").ShouldBe(4);
        metrics.Value("llm_backends_healthy").ShouldBe(3);
        metrics.Value("llm_models_available").ShouldBe(2);
        foreach (var provider in new[] { OpenAIPrimary, OpenAISecondary, AnthropicPrimary, AnthropicSecondary })
        {
            var probes = metrics.Value("llm_backend_health_check_duration_seconds_count", ("provider", provider));
            probes.ShouldBeGreaterThanOrEqualTo(2);
            metrics.Value("llm_backend_health_check_duration_seconds_bucket", ("provider", provider), ("le", "+Inf")).ShouldBe(probes);
        }

        using var degraded = await gateway.SendAsync(HttpMethod.Get, "/health", key: null);
        degraded.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await degraded.Content.ReadAsStringAsync()).ShouldBe("{\"status\":\"degraded\",\"description\":\"3 of 4 providers healthy\",\"backends_healthy\":3,\"backends_total\":4}");
        var stats = await gateway.ManagementJsonAsync("/v1/stats");
        stats.GetProperty("backends").EnumerateArray().Single(backend => backend.GetProperty("id").GetString() == AnthropicSecondary)
            .GetProperty("healthy").GetBoolean().ShouldBeFalse();

        await gateway.SetFaultAsync(AnthropicSecondary, "healthy");
        await WaitForHealthyAsync(gateway, 4);
    }

    [Test]
    public async Task No_healthy_provider_makes_health_answer_503()
    {
        await using var gateway = await TestGateway.StartAsync(settings => settings.Set("Gateway:HealthChecks:Interval", "00:00:00.100"));
        foreach (var provider in new[] { OpenAIPrimary, OpenAISecondary, AnthropicPrimary, AnthropicSecondary })
        {
            await gateway.SetFaultAsync(provider, "failing");
        }

        await WaitForHealthyAsync(gateway, 0);

        using var response = await gateway.SendAsync(HttpMethod.Get, "/health", key: null);
        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await response.Content.ReadAsStringAsync()).ShouldContain("\"status\":\"unhealthy\"");
        gateway.RegistryValue("llm_models_available").ShouldBe(0);
    }

    private static Task WaitForHealthyAsync(TestGateway gateway, int healthy) =>
        Eventually.TrueAsync(() => gateway.RegistryValue("llm_backends_healthy") == healthy, $"{healthy} providers are healthy");
}
