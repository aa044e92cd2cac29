using Gateway.Configuration;
using Gateway.Hosting;
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
            [gateway.BaseUri.AbsoluteUri],
            services.GetRequiredService<GatewayOptions>(),
            services.GetRequiredService<ProviderDirectory>(),
            services.GetRequiredService<ModelCatalog>());

        banner.ShouldContain($"LLM gateway listening on {gateway.BaseUri.AbsoluteUri}");
        banner.ShouldContain($"simulated at {gateway.Provider(GatewaySettings.OpenAIPrimary).BaseUri}");
        banner.ShouldContain("demo                   gw-demo-published-1234");
        banner.ShouldContain("alpha                  (configured key, not shown)");
        banner.ShouldContain($"curl -s {gateway.BaseUri.AbsoluteUri.TrimEnd('/')}/v1/chat/completions -H 'Authorization: Bearer gw-demo-published-1234'");
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
        });

        var error = Should.Throw<InvalidOperationException>(() => GatewayApplication.Build(builder));

        error.Message.ShouldBe(string.Join(
            Environment.NewLine,
            "The gateway configuration is invalid:",
            "  - Gateway:Providers:c:BaseUrl 'not a url' is not an absolute URL.",
            "  - Gateway:Models:ghost names provider 'nobody', which Gateway:Providers does not define.",
            "  - Gateway:Models:mixed:UpstreamModels names provider 'c', which is not in the model's Providers.",
            "  - Gateway:Accounts:two uses the same ApiKey as account 'one'; keys must be unique.",
            "  - Gateway:Resilience:FailureRatio must be above 0 and at most 1."));
    }
}
