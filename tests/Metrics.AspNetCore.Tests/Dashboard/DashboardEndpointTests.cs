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

        config.GetProperty("stream").GetString().ShouldBe("/metrics/stream");
        config.GetProperty("windowSeconds").GetDouble().ShouldBe(300);
        config.GetProperty("sparklinePoints").GetInt32().ShouldBe(60);
        config.GetProperty("selectors").Deserialize<string[]>().ShouldBe(
            ["http_requests_total[]", "http_requests_total[status]", "http_request_duration_seconds[]", "http_requests_in_flight[]"]);
        config.GetProperty("panels").EnumerateArray().Select(panel => panel.GetProperty("id").GetString()).ShouldBe(["requests", "latency", "resources"]);
        config.GetProperty("panels").EnumerateArray().Select(panel => panel.GetProperty("width").GetInt32()).ShouldBe([6, 6, 12]);
    }

    [Test]
    public async Task Panels_the_application_declares_read_its_families_and_share_a_row_when_a_partner_is_missing()
    {
        PrometheusMetricsDashboardState[] breakerStates =
        [
            new(0, "closed", PrometheusMetricsDashboardTone.Good),
            new(1, "open", PrometheusMetricsDashboardTone.Bad),
        ];
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
                options.Window = TimeSpan.FromMinutes(10);
                options.Panels.Clear();
                options.Panels.Add(PrometheusMetricsDashboardPanel.SparklineTable(
                    "tiers",
                    "Tiers",
                    "Per tier",
                    "tier",
                    "Tier",
                    [
                        PrometheusMetricsDashboardColumn.State("breaker", "Breaker", "tier_breaker", breakerStates),
                        PrometheusMetricsDashboardColumn.Rate("tokens", "Tokens / s", "tier_tokens_total"),
                        PrometheusMetricsDashboardColumn.Quantile("latency", "p50 (p95)", "tier_latency_seconds", 0.5, 0.95),
                        PrometheusMetricsDashboardColumn.Rate("missing", "Missing", "absent_total"),
                    ],
                    excludedLabelValue: "none",
                    width: 7));
                options.Panels.Add(PrometheusMetricsDashboardPanel.HeatMap("routing", "Routing", "Routed", "routed_total", "complexity", "tier", "none", width: 5));
                options.Panels.Add(PrometheusMetricsDashboardPanel.StateBadges("breakers", "Breakers", "Each tier's breaker", "tier_breaker", "tier", breakerStates, width: 8));
                options.Panels.Add(PrometheusMetricsDashboardPanel.StateBadges("absent", "Absent", "Never registered", "absent_state", "tier", breakerStates, width: 4));
            });

        var html = await app.GetTestClient().GetStringAsync("/dashboard");
        var config = Config(html);

        html.ShouldContain("<title>Tiers &amp; &lt;routing&gt;</title>");
        config.GetProperty("windowSeconds").GetDouble().ShouldBe(600);
        config.GetProperty("selectors").Deserialize<string[]>().ShouldBe(
            ["tier_breaker", "tier_tokens_total[tier]", "tier_latency_seconds[tier]", "routed_total[complexity,tier]"]);
        var panels = config.GetProperty("panels");
        panels.GetArrayLength().ShouldBe(3);
        panels[0].GetRawText().ShouldBe(
            """{"id":"tiers","kind":"table","title":"Tiers","description":"Per tier","width":7,"label":"tier","labelTitle":"Tier","exclude":"none","columns":[{"name":"breaker","title":"Breaker","kind":"state","selector":"tier_breaker","states":[{"value":0,"text":"closed","tone":"good"},{"value":1,"text":"open","tone":"bad"}]},{"name":"tokens","title":"Tokens / s","kind":"rate","selector":"tier_tokens_total[tier]","unit":"/s"},{"name":"latency","title":"p50 (p95)","kind":"quantile","selector":"tier_latency_seconds[tier]","unit":"s","quantile":0.5,"secondaryQuantile":0.95}]}""");
        panels[1].GetRawText().ShouldBe(
            """{"id":"routing","kind":"heatmap","title":"Routing","description":"Routed","width":5,"family":"routed_total[complexity,tier]","label":"complexity","columnLabel":"tier","exclude":"none"}""");
        panels[2].GetRawText().ShouldBe(
            """{"id":"breakers","kind":"badges","title":"Breakers","description":"Each tier\u0027s breaker","width":12,"family":"tier_breaker","label":"tier","states":[{"value":0,"text":"closed","tone":"good"},{"value":1,"text":"open","tone":"bad"}]}""");
    }

    [Test]
    public async Task Latency_panel_draws_the_configured_quantiles()
    {
        await using var app = await TestApplications.StartAsync(
            static app =>
            {
                app.UsePrometheusRequestMetrics();
                app.MapPrometheusMetricsDashboard();
            },
            configureMetrics: static options => options.Quantiles = [0.5, 0.9, 0.999]);

        var latency = (await ConfigAsync(app, "/dashboard")).GetProperty("panels")[1];

        latency.GetRawText().ShouldBe(
            """{"id":"latency","kind":"latency","title":"Latency","description":"Request duration percentiles over each sampling interval","width":6,"family":"http_request_duration_seconds[]","quantiles":[0.5,0.9,0.999]}""");
    }

    [Test]
    public async Task Two_panels_with_one_id_are_refused()
    {
        var refused = await Should.ThrowAsync<ArgumentException>(() => StartAsync(configure: static options => options.Panels.Add(PrometheusMetricsDashboardPanel.Latency())));

        refused.Message.ShouldStartWith("Two dashboard panels have the id 'latency': each panel needs its own.");
    }

    [Test]
    public async Task Stream_path_follows_the_path_base()
    {
        await using var app = await TestApplications.StartAsync(static app =>
        {
            app.UsePathBase("/ops");
            app.UseRouting();
            app.MapPrometheusMetricsDashboard();
        });

        (await ConfigAsync(app, "/ops/dashboard")).GetProperty("stream").GetString().ShouldBe("/ops/metrics/stream");
    }

    [Test]
    public async Task Head_answers_the_headers_without_the_page()
    {
        await using var app = await StartAsync();

        using var response = await app.GetTestClient().SendAsync(new HttpRequestMessage(HttpMethod.Head, "/dashboard"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsByteArrayAsync()).ShouldBeEmpty();
    }

    private static Task<WebApplication> StartAsync(Action<MetricRegistry>? createMetrics = null, Action<PrometheusMetricsDashboardOptions>? configure = null) =>
        TestApplications.StartAsync(app =>
        {
            createMetrics?.Invoke(app.Registry());
            app.UsePrometheusRequestMetrics();
            app.MapPrometheusMetricsDashboard(configure: configure);
        });

    private static async Task<JsonElement> ConfigAsync(WebApplication app, string path) => Config(await app.GetTestClient().GetStringAsync(path));

    private static JsonElement Config(string html) => JsonDocument.Parse(ConfigPattern().Match(html).Groups[1].Value).RootElement.Clone();

    [GeneratedRegex("'nonce-([^']+)'")]
    private static partial Regex NoncePattern();

    [GeneratedRegex(@"const config = (\{.*?\});\n")]
    private static partial Regex ConfigPattern();
}
