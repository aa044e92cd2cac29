using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Metrics.AspNetCore.Tests.Dashboard;

public sealed partial class DashboardEndpointTests
{
    [Test]
    public async Task Page_is_self_contained_html_whose_inline_script_and_style_only_its_nonce_allows()
    {
        await using var app = await StartAsync();

        using var response = await app.GetTestClient().GetAsync("/dashboard");
        var html = await response.Content.ReadAsStringAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.ToString().ShouldBe("text/html; charset=utf-8");
        response.Headers.CacheControl!.ToString().ShouldBe("no-store");
        var policy = response.Headers.GetValues("Content-Security-Policy").ShouldHaveSingleItem();
        var nonce = NoncePattern().Match(policy).Groups[1].Value;
        nonce.Length.ShouldBe(24);
        policy.ShouldBe($"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
        html.ShouldContain($"<script nonce=\"{nonce}\">");
        html.ShouldContain($"<style nonce=\"{nonce}\">");
        html.ShouldNotContain(" src=");
        html.ShouldNotContain("<link");
        html.ShouldNotContain("@import");
        html.ShouldNotContain("url(");
    }

    [Test]
    public async Task Each_request_gets_a_new_nonce()
    {
        await using var app = await StartAsync();
        var client = app.GetTestClient();

        using var first = await client.GetAsync("/dashboard");
        using var second = await client.GetAsync("/dashboard");

        first.Headers.GetValues("Content-Security-Policy").Single().ShouldNotBe(second.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Test]
    public async Task Panels_whose_families_are_missing_are_left_out_of_the_configuration()
    {
        await using var app = await StartAsync();

        var config = await ConfigAsync(app, "/dashboard");

        config.GetProperty("stream").GetString().ShouldBe("/v1/usage/stream");
        config.GetProperty("windowSeconds").GetDouble().ShouldBe(300);
        config.GetProperty("sparklinePoints").GetInt32().ShouldBe(60);
        config.GetProperty("selectors").Deserialize<string[]>().ShouldBe(
            ["http_requests_total[]", "http_requests_total[status]", "http_request_duration_seconds[]", "http_requests_in_flight[]"]);
        config.GetProperty("panels").EnumerateObject().Select(panel => panel.Name).ShouldBe(["requests", "latency", "resources"]);
    }

    [Test]
    public async Task Application_families_named_in_the_options_fill_the_provider_circuit_and_routing_panels()
    {
        await using var app = await StartAsync(
            registry =>
            {
                registry.CreateCounterFamily("tier_tokens", "Tokens.", ["tier", "kind"]);
                registry.CreateHistogramFamily("tier_latency_seconds", "Latency.", ["tier"]);
                registry.CreateGaugeFamily("tier_breaker", "Breakers.", ["tier"]);
                registry.CreateCounterFamily("routed", "Routed.", ["complexity", "tier"]);
            },
            options =>
            {
                options.Title = "Tiers & <routing>";
                options.ProviderLabel = "tier";
                options.ModelLabel = "complexity";
                options.ProviderTokensFamily = "tier_tokens_total";
                options.ProviderLatencyFamily = "tier_latency_seconds";
                options.CircuitStateFamily = "tier_breaker";
                options.RoutingFamily = "routed_total";
                options.Window = TimeSpan.FromMinutes(10);
            });

        var html = await app.GetTestClient().GetStringAsync("/dashboard");
        var config = Config(html);

        html.ShouldContain("<title>Tiers &amp; &lt;routing&gt;</title>");
        config.GetProperty("windowSeconds").GetDouble().ShouldBe(600);
        var panels = config.GetProperty("panels");
        panels.GetProperty("providers").GetRawText().ShouldBe("""{"tokens":"tier_tokens_total[tier]","latency":"tier_latency_seconds[tier]","label":"tier","none":"none"}""");
        panels.GetProperty("circuits").GetRawText().ShouldBe("""{"family":"tier_breaker","label":"tier"}""");
        panels.GetProperty("routing").GetRawText().ShouldBe("""{"family":"routed_total[complexity,tier]","modelLabel":"complexity","providerLabel":"tier","none":"none"}""");
    }

    [Test]
    public async Task Stream_path_follows_the_path_base()
    {
        await using var app = await TestApplications.StartAsync(static app =>
        {
            app.UsePathBase("/ops");
            app.UseRouting();
            app.MapMetricsDashboard();
        });

        (await ConfigAsync(app, "/ops/dashboard")).GetProperty("stream").GetString().ShouldBe("/ops/v1/usage/stream");
    }

    [Test]
    public async Task Head_answers_the_headers_without_the_page()
    {
        await using var app = await StartAsync();

        using var response = await app.GetTestClient().SendAsync(new HttpRequestMessage(HttpMethod.Head, "/dashboard"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsByteArrayAsync()).ShouldBeEmpty();
    }

    private static Task<WebApplication> StartAsync(Action<MetricRegistry>? createMetrics = null, Action<MetricsDashboardOptions>? configure = null) =>
        TestApplications.StartAsync(app =>
        {
            createMetrics?.Invoke(app.Registry());
            app.UsePrometheusRequestMetrics();
            app.MapMetricsDashboard(configure: configure);
        });

    private static async Task<JsonElement> ConfigAsync(WebApplication app, string path) => Config(await app.GetTestClient().GetStringAsync(path));

    private static JsonElement Config(string html) => JsonDocument.Parse(ConfigPattern().Match(html).Groups[1].Value).RootElement.Clone();

    [GeneratedRegex("'nonce-([^']+)'")]
    private static partial Regex NoncePattern();

    [GeneratedRegex(@"const config = (\{.*?\});\n")]
    private static partial Regex ConfigPattern();
}
