using Gateway.Configuration;
using Gateway.Hosting;
using Gateway.Listeners;
using Gateway.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Hosting;

public class StartupBannerTests
{
    [Test]
    public async Task Banner_prints_urls_providers_and_demo_keys_but_never_a_key_not_marked_demo()
    {
        await using var gateway = await TestGateway.StartAsync(settings => settings.Account("demo", "gw-demo-published-1234", 600, 60, demo: true));
        var services = gateway.Services;

        var banner = StartupBanner.Render(
            services.GetRequiredService<GatewayListeners>(),
            services.GetRequiredService<GatewayOptions>(),
            services.GetRequiredService<ProviderDirectory>(),
            services.GetRequiredService<ModelCatalog>());

        var publicUrl = gateway.BaseUri.AbsoluteUri.TrimEnd('/');
        var managementUrl = gateway.ManagementUri.AbsoluteUri.TrimEnd('/');
        banner.ShouldStartWith($"LLM gateway listening on {publicUrl}{Environment.NewLine}");
        banner.ShouldContain($"Management listener on {managementUrl}{Environment.NewLine}");
        banner.ShouldContain("  loopback only; set Gateway:ManagementUrls to move it.");
        banner.ShouldContain($"curl -s {managementUrl}/simulator/providers/{GatewaySettings.OpenAIPrimary} -H 'Content-Type: application/json' -d '{{\"mode\":\"failing\"}}'");
        banner.ShouldContain($"curl -s {managementUrl}/metrics");
        banner.ShouldContain($"curl -s {publicUrl}/v1/accounts/me -H 'Authorization: Bearer gw-demo-published-1234'");
        banner.ShouldContain($"Live dashboard: {managementUrl}/dashboard");
        banner.ShouldContain($"simulated at {gateway.Provider(GatewaySettings.OpenAIPrimary).BaseUri}");
        banner.ShouldContain("demo                   gw-demo-published-1234");
        banner.ShouldContain("alpha                  (configured key, not shown)");
        banner.ShouldContain($"curl -s {publicUrl}/v1/chat/completions -H 'Authorization: Bearer gw-demo-published-1234'");
        banner.ShouldContain($"-d '{{\"model\":\"{GatewaySettings.ClaudeModel}\",\"messages\":[{{\"role\":\"user\",\"content\":\"Hello\"}}]}}'");
        banner.ShouldContain("--Gateway:MetricsEnabled=false");
        foreach (var key in TestKeys.All)
        {
            banner.ShouldNotContain(key);
        }
    }

    [Test]
    public void Invalid_configuration_stops_the_start_with_every_problem_named()
    {
        var builder = GatewayApplication.CreateBuilder([]);
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:Providers:a:Style"] = "OpenAI",
            ["Gateway:Providers:b:Style"] = "Anthropic",
            ["Gateway:Providers:c:BaseUrl"] = "not a url",
            ["Gateway:Models:mixed:Providers:0"] = "a",
            ["Gateway:Models:mixed:Providers:1"] = "b",
            ["Gateway:Models:mixed:UpstreamModels:c"] = "gpt-4.1",
            ["Gateway:Models:ghost:Providers:0"] = "nobody",
            ["Gateway:Accounts:one:ApiKey"] = "same-key",
            ["Gateway:Accounts:two:ApiKey"] = "same-key",
            ["Gateway:Resilience:FailureRatio"] = "1.5",
            ["Gateway:MaxOutputTokens"] = "0",
            ["Gateway:Tokens:MaxPerAccount"] = "0",
            ["Gateway:Tokens:MinLifetime"] = "00:00:00",
        });

        var error = Should.Throw<InvalidOperationException>(() => GatewayApplication.Build(builder));

        error.Message.ShouldBe(string.Join(
            Environment.NewLine,
            "The gateway configuration is invalid:",
            "  - Gateway:MaxOutputTokens is 0; it must be positive.",
            "  - Gateway:Providers:c:BaseUrl 'not a url' is not an absolute URL.",
            "  - Gateway:Models:ghost names provider 'nobody', which Gateway:Providers does not define.",
            "  - Gateway:Models:mixed:UpstreamModels names provider 'c', which is not in the model's Providers.",
            "  - Gateway:Accounts:two uses the same ApiKey as account 'one'; keys must be unique.",
            "  - Gateway:Tokens:MaxPerAccount must be at least 1.",
            "  - Gateway:Tokens:MinLifetime must be at least 1 s, and MaxLifetime at least MinLifetime and at most 3650 days.",
            "  - Gateway:Resilience:FailureRatio must be above 0 and at most 1."));
    }
}
