using Gateway.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Hosting;

public class DemoTrafficTests
{
    [Test]
    public async Task Demo_traffic_sends_its_bounded_mix_through_the_gateway_and_flips_a_provider_on_the_way()
    {
        await using var gateway = await TestGateway.StartAsync(settings => settings.Set("Gateway:Resilience:BreakDuration", "00:00:00.500"));
        var traffic = ActivatorUtilities.CreateInstance<DemoTraffic>(gateway.Services);

        await traffic.RunAsync(gateway.BaseUri, CancellationToken.None);

        var metrics = await gateway.ScrapeAsync();
        metrics.Sum("llm_requests_total").ShouldBe(DemoTraffic.Requests);
        metrics.Value("llm_account_requests_total", ("account", "alpha")).ShouldBe(DemoTraffic.Requests);
        // Requests 24, 49, …, 224 are malformed (9); 39, 79, 119, 159 and 239 name an unknown model (199 is malformed).
        metrics.Value("llm_requests_total", ("surface", "openai_chat"), ("provider", "none"), ("model", "none"), ("status", "400")).ShouldBe(9);
        metrics.Named("llm_requests_total").Where(sample => sample.Labels["status"] == "404").Sum(sample => sample.Value).ShouldBe(5);
        metrics.Value("llm_failovers_total", ("from", GatewaySettings.AnthropicPrimary), ("to", GatewaySettings.AnthropicSecondary)).ShouldBeGreaterThan(0);
        metrics.Named("llm_requests_total").Where(sample => sample.Labels["status"] is "502" or "503").ShouldBeEmpty();
        // Requests 5, 15, …, 235 ask in the other API than their model's providers speak.
        metrics.Sum("llm_translations_total").ShouldBe(24);
        gateway.Logs.All.ShouldContain("Demo traffic done: 240 requests, 226 succeeded, 14 failed.");
    }
}
