using System.Net;
using Gateway.Configuration;
using Gateway.Hosting;
using Microsoft.Extensions.DependencyInjection;
using static Metrics.Testing.GatewayHarness.GatewaySettings;

namespace Gateway.Tests.Listeners;

public class ListenerSeparationTests
{
    private static readonly string[] OperatorPaths =
    [
        "/metrics", "/v1/usage", "/v1/usage/history", "/v1/usage/stream", "/v1/usage/ws", "/dashboard", "/v1/stats", "/v1/accounts",
        "/simulator/providers", $"/simulator/providers/{OpenAIPrimary}",
    ];

    private static readonly HttpMethod[] Methods = [HttpMethod.Get, HttpMethod.Head, HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete];

    [Test]
    public async Task Operator_endpoints_are_404_on_the_public_listener_for_every_method_key_and_host_header()
    {
        await using var gateway = await TestGateway.StartAsync();
        var managementHost = gateway.ManagementUri.Authority;

        foreach (var path in OperatorPaths)
        {
            foreach (var method in Methods)
            {
                foreach (var key in (string?[])[null, TestKeys.Alpha])
                {
                    // A Host header naming the management listener must not help: the connection decides, not the client.
                    using var request = new HttpRequestMessage(method, path) { Content = new StringContent("{\"mode\":\"failing\"}", System.Text.Encoding.UTF8, "application/json") };
                    request.Headers.Host = managementHost;
                    if (key is not null)
                    {
                        request.Headers.Authorization = new("Bearer", key);
                    }

                    using var response = await gateway.Client.SendAsync(request);
                    response.StatusCode.ShouldBe(HttpStatusCode.NotFound, $"{method} {path} with key {key ?? "(none)"}");
                    response.Content.Headers.Allow.ShouldBeEmpty();
                }
            }
        }

        // Nothing moved: the simulated providers are as they started, and every probe was one unmatched series.
        var simulator = await gateway.ManagementJsonAsync("/simulator/providers");
        simulator.GetProperty("providers").EnumerateArray().ShouldAllBe(provider => provider.GetProperty("mode").GetString() == "healthy");
        var metrics = await gateway.ScrapeAsync();
        metrics.Named("http_requests_total").Where(sample => sample.Labels["route"] != "unmatched" && sample.Labels["route"] != "/simulator/providers")
            .Select(sample => string.Join(",", sample.Labels.Select(label => $"{label.Key}={label.Value}")) + " " + sample.Value).Where(text => !text.EndsWith(" 0", StringComparison.Ordinal)).ShouldBeEmpty();
        metrics.Named("http_requests_total").Where(sample => sample.Labels["route"] == "unmatched").Sum(sample => sample.Value)
            .ShouldBe(OperatorPaths.Length * Methods.Length * 2);
    }

    [TestCase("/metrics")]
    [TestCase("/v1/usage")]
    [TestCase("/dashboard")]
    [TestCase("/v1/stats")]
    [TestCase("/v1/accounts")]
    [TestCase("/simulator/providers")]
    public async Task Operator_endpoints_answer_on_the_management_listener_without_a_key(string path)
    {
        await using var gateway = await TestGateway.StartAsync();

        using var response = await gateway.SendManagementAsync(HttpMethod.Get, path);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [TestCase("POST", "/v1/chat/completions")]
    [TestCase("POST", "/v1/responses")]
    [TestCase("POST", "/v1/messages")]
    [TestCase("POST", "/v1/messages/count_tokens")]
    [TestCase("GET", "/v1/models")]
    [TestCase("GET", "/v1/models/" + GptModel)]
    [TestCase("GET", "/v1/tokens")]
    [TestCase("POST", "/v1/tokens")]
    [TestCase("GET", "/v1/accounts/me")]
    public async Task Tenant_endpoints_are_404_on_the_management_listener(string method, string path)
    {
        await using var gateway = await TestGateway.StartAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), path.TrimStart('/'));
        request.Headers.Authorization = new("Bearer", TestKeys.Alpha);
        if (method == "POST")
        {
            request.Content = new StringContent(Requests.Chat(GptModel, "hello"), System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await gateway.Management.SendAsync(request);

        // The routing 404 of a path this listener does not serve: no API error body, no request id, nothing counted.
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).ShouldBeEmpty();
        response.Headers.Contains("x-request-id").ShouldBeFalse();
        response.Headers.Contains("request-id").ShouldBeFalse();
        gateway.RegistryValue("llm_account_requests_total", "alpha").ShouldBe(0);
    }

    [Test]
    public async Task Health_answers_on_both_listeners()
    {
        await using var gateway = await TestGateway.StartAsync();
        await Eventually.TrueAsync(() => gateway.RegistryValue("llm_backends_healthy") == 4, "the first probes are in");

        using var onPublic = await gateway.SendAsync(HttpMethod.Get, "/health", key: null);
        using var onManagement = await gateway.SendManagementAsync(HttpMethod.Get, "/health");

        onPublic.StatusCode.ShouldBe(HttpStatusCode.OK);
        onManagement.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await onPublic.Content.ReadAsStringAsync()).ShouldBe(await onManagement.Content.ReadAsStringAsync());
    }

    [Test]
    public void Management_listener_defaults_to_loopback_port_5081()
    {
        new GatewayOptions().ManagementUrls.ShouldBe("http://127.0.0.1:5081");
        new GatewayOptions().AllowRemoteManagement.ShouldBeFalse();
    }

    [Test]
    public void Management_urls_beyond_loopback_on_the_public_port_or_malformed_stop_the_start_with_each_problem_named()
    {
        var error = Should.Throw<InvalidOperationException>(() => Build(new()
        {
            ["Urls"] = "http://127.0.0.1:5080",
            ["Gateway:ManagementUrls"] = "http://0.0.0.0:5081;http://127.0.0.1:5080;ftp://127.0.0.1:21;not a url",
        }));

        error.Message.ShouldBe(string.Join(
            Environment.NewLine,
            "The gateway configuration is invalid:",
            "  - Gateway:ManagementUrls 'ftp://127.0.0.1:21' must start with http:// or https://.",
            "  - Gateway:ManagementUrls 'not a url' is not a URL such as http://127.0.0.1:5080.",
            "  - Gateway:ManagementUrls 'http://0.0.0.0:5081' listens beyond loopback. The management listener serves every tenant's usage and the simulator "
                + "without a key: keep it on 127.0.0.1, [::1] or localhost, or set Gateway:AllowRemoteManagement=true behind a network boundary of your own.",
            "  - Gateway:ManagementUrls 'http://127.0.0.1:5080' uses port 5080, which Urls also uses; the two listeners need ports of their own."));
    }

    [Test]
    public async Task Management_listener_beyond_loopback_is_allowed_only_when_asked_for_and_the_banner_warns()
    {
        await using var gateway = await TestGateway.StartAsync(settings => settings
            .Set("Gateway:ManagementUrls", "http://0.0.0.0:0")
            .Set("Gateway:AllowRemoteManagement", "true"));
        var services = gateway.Services;

        var banner = StartupBanner.Render(
            services.GetRequiredService<Gateway.Listeners.GatewayListeners>(),
            services.GetRequiredService<GatewayOptions>(),
            services.GetRequiredService<Gateway.Routing.ProviderDirectory>(),
            services.GetRequiredService<Gateway.Routing.ModelCatalog>());

        banner.ShouldContain("  WARNING: it is reachable beyond loopback (Gateway:AllowRemoteManagement); only operators' networks may reach it.");
        using var metrics = await gateway.SendManagementAsync(HttpMethod.Get, "/metrics");
        metrics.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private static Microsoft.AspNetCore.Builder.WebApplication Build(Dictionary<string, string?> values)
    {
        var settings = new GatewaySettings();
        foreach (var (key, value) in values)
        {
            settings.Set(key, value);
        }

        var builder = GatewayApplication.CreateBuilder([]);
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings.Values);
        return GatewayApplication.Build(builder);
    }
}
