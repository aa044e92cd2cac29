using System.Text.Json;
using Metrics.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Gateway.Tests.Dashboard;

/// <summary>
/// The dashboard in a real headless Chromium (Debian's package, driven by Playwright for .NET): its charts hold the
/// points of <c>/v1/usage/history</c>, it reconnects when the stream dies, and it is photographed in light and dark.
/// </summary>
public sealed class DashboardBrowserTests
{
    private const string ChromiumPath = "/usr/bin/chromium";
    private const string GptMini = "gpt-4o-mini";
    private const string ClaudeHaiku = "claude-3-5-haiku";

    private static readonly string[] ChromiumFlags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    [Test]
    public async Task Dashboard_charts_the_history_and_reconnects_after_the_stream_dies()
    {
        var chromium = RequiredTool.Find("chromium", "install Debian's package: apt-get install -y chromium", ChromiumPath);
        var streams = new StreamConnections();
        await using var gateway = await TestGateway.StartAsync(ConfigureRealisticProviders, builder => builder.Services.AddSingleton<IStartupFilter>(streams));
        using var traffic = new CancellationTokenSource();
        var driving = DriveTrafficAsync(gateway, traffic.Token);

        var profile = Directory.CreateTempSubdirectory("dashboard-chromium-");
        try
        {
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchPersistentContextAsync(profile.FullName, new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = chromium,
                Headless = true,
                Args = ChromiumFlags,
                ViewportSize = new ViewportSize { Width = 1400, Height = 1000 },
                ColorScheme = ColorScheme.Light,
            });
            var page = browser.Pages.Count > 0 ? browser.Pages[0] : await browser.NewPageAsync();
            var response = await page.GotoAsync(new Uri(gateway.ManagementUri, "/dashboard").AbsoluteUri);
            response!.Status.ShouldBe(200);

            await page.WaitForFunctionAsync(
                "() => document.getElementById('status').dataset.state === 'live' && Number(document.body.dataset.lastSequence) - Number(document.body.dataset.firstSequence) >= 6",
                null,
                new PageWaitForFunctionOptions { Timeout = 30_000 });
            await ChartsShouldHoldTheHistoryAsync(page, gateway);

            await page.EvaluateAsync(
                "() => { window.statusStates = []; const s = document.getElementById('status'); new MutationObserver(() => window.statusStates.push(s.dataset.state)).observe(s, { attributes: true }); }");
            (await page.EvaluateAsync<string>("() => document.body.dataset.connects")).ShouldBe("1");
            streams.AbortAll().ShouldBe(1);
            await page.WaitForFunctionAsync(
                "() => document.body.dataset.connects === '2' && document.getElementById('status').dataset.state === 'live'",
                null,
                new PageWaitForFunctionOptions { Timeout = 20_000 });
            (await page.EvaluateAsync<string[]>("() => window.statusStates")).ShouldContain("reconnecting");

            var lastSequence = await page.EvaluateAsync<long>("() => Number(document.body.dataset.lastSequence)");
            await page.WaitForFunctionAsync($"() => Number(document.body.dataset.lastSequence) >= {lastSequence + 3}", null, new PageWaitForFunctionOptions { Timeout = 10_000 });
            await SaveScreenshotsAsync(page);
            await traffic.CancelAsync();
            await driving;
            await ChartsShouldHoldTheHistoryAsync(page, gateway);
        }
        finally
        {
            await traffic.CancelAsync();
            await driving;
            profile.Delete(recursive: true);
        }
    }

    private static async Task ChartsShouldHoldTheHistoryAsync(IPage page, TestGateway gateway)
    {
        using var shown = JsonDocument.Parse(await page.EvaluateAsync<string>(
            """
            () => JSON.stringify({
              first: Number(document.body.dataset.firstSequence),
              last: Number(document.body.dataset.lastSequence),
              requests: JSON.parse(document.querySelector('#requests-chart path[data-series="all"]').dataset.values),
              p50: JSON.parse(document.querySelector('#latency-chart path[data-series="p50"]').dataset.values),
              p95: JSON.parse(document.querySelector('#latency-chart path[data-series="p95"]').dataset.values),
              p99: JSON.parse(document.querySelector('#latency-chart path[data-series="p99"]').dataset.values),
              tokens: Object.fromEntries([...document.querySelectorAll('#providers-body tr')].map(row =>
                [row.dataset.row, JSON.parse(row.querySelector('path[data-series="tokens"]').dataset.values)])),
            })
            """));
        var page_ = shown.RootElement;
        var first = page_.GetProperty("first").GetInt64();
        var last = page_.GetProperty("last").GetInt64();
        var history = await gateway.ManagementJsonAsync(
            "/v1/usage/history?family=http_requests_total%5B%5D&family=http_request_duration_seconds%5B%5D&family=llm_tokens_total%5Bprovider%5D&window=30m");
        var offset = (int)(first - history.GetProperty("firstSequence").GetInt64());
        var count = (int)(last - first + 1);
        offset.ShouldBeGreaterThanOrEqualTo(0);
        history.GetProperty("lastSequence").GetInt64().ShouldBeGreaterThanOrEqualTo(last);

        var families = history.GetProperty("families");
        var requests = Values(page_.GetProperty("requests"));
        requests.Length.ShouldBe(count);
        requests.ShouldBe(Slice(families[0].GetProperty("series")[0].GetProperty("rate"), offset, count));
        requests.Count(value => value > 0).ShouldBeGreaterThan(2);
        var latency = families[1].GetProperty("series")[0];
        var quantiles = latency.GetProperty("quantiles").EnumerateArray().ToDictionary(q => q.GetProperty("quantile").GetDouble(), q => q.GetProperty("values"));
        foreach (var (name, quantile) in (ReadOnlySpan<(string, double)>)[("p50", 0.5), ("p95", 0.95), ("p99", 0.99)])
        {
            Values(page_.GetProperty(name)).ShouldBe(Slice(quantiles[quantile], offset, count), name);
        }

        Values(page_.GetProperty("p95")).Count(value => value > 0).ShouldBeGreaterThan(2);
        var providers = families[2].GetProperty("series").EnumerateArray().ToDictionary(series => series.GetProperty("labels").GetProperty("provider").GetString()!);
        var rows = page_.GetProperty("tokens").EnumerateObject().ToDictionary(row => row.Name, row => Values(row.Value));
        rows.Keys.Order().ShouldBe([GatewaySettings.AnthropicPrimary, GatewaySettings.AnthropicSecondary, GatewaySettings.OpenAIPrimary, GatewaySettings.OpenAISecondary]);
        foreach (var (provider, sparkline) in rows)
        {
            var rates = Slice(providers[provider].GetProperty("rate"), offset, count);
            sparkline.Length.ShouldBe(Math.Min(rates.Length, new Metrics.AspNetCore.PrometheusMetricsDashboardOptions().SparklinePoints), provider);
            sparkline.ShouldBe(rates[^sparkline.Length..], provider);
        }
    }

    private static async Task SaveScreenshotsAsync(IPage page)
    {
        foreach (var scheme in (ColorScheme[])[ColorScheme.Light, ColorScheme.Dark])
        {
            await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = scheme });
            await page.EvaluateAsync("() => new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)))");
            var path = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"dashboard-{scheme.ToString().ToLowerInvariant()}.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
            TestContext.AddTestAttachment(path, $"The dashboard in {scheme} mode");
            if (scheme == ColorScheme.Light && Environment.GetEnvironmentVariable("METRICS_DASHBOARD_SCREENSHOT") is { Length: > 0 } copy)
            {
                File.Copy(path, copy, overwrite: true);
            }
        }
    }

    private static double?[] Values(JsonElement array) => array.Deserialize<double?[]>()!;

    private static double?[] Slice(JsonElement array, int offset, int count) => Values(array)[offset..(offset + count)];

    private static void ConfigureRealisticProviders(GatewaySettings settings)
    {
        foreach (var (provider, latencyMs) in (ReadOnlySpan<(string, string)>)[
            (GatewaySettings.OpenAIPrimary, "180"), (GatewaySettings.OpenAISecondary, "320"), (GatewaySettings.AnthropicPrimary, "240"), (GatewaySettings.AnthropicSecondary, "400")])
        {
            settings.Set($"Gateway:Providers:{provider}:Simulation:LatencyMedianMs", latencyMs);
            settings.Set($"Gateway:Providers:{provider}:Simulation:LatencySigma", "0.5");
            settings.Set($"Gateway:Providers:{provider}:Simulation:CompletionTokens", "60");
        }

        settings.Model(GptMini, GatewaySettings.OpenAISecondary, GatewaySettings.OpenAIPrimary);
        settings.Model(ClaudeHaiku, GatewaySettings.AnthropicSecondary, GatewaySettings.AnthropicPrimary);
    }

    // Bounded: at most 400 rounds of four requests, stopped early by the test.
    private static async Task DriveTrafficAsync(TestGateway gateway, CancellationToken cancellationToken)
    {
        try
        {
            for (var round = 0; round < 400 && !cancellationToken.IsCancellationRequested; round++)
            {
                // A failing provider shows failovers, errors and an open circuit.
                if (round == 5)
                {
                    await gateway.SetFaultAsync(GatewaySettings.OpenAIPrimary, "failing", 40);
                }

                var requests = new List<Task<HttpResponseMessage>>
                {
                    gateway.PostAsync("/v1/chat/completions", Requests.Chat(GatewaySettings.GptModel, "Hello")),
                    gateway.PostAsync("/v1/messages", Requests.Messages(GatewaySettings.ClaudeModel, "Hello")),
                    gateway.PostAsync("/v1/chat/completions", Requests.Chat(round % 2 == 0 ? GptMini : GatewaySettings.GptModel, "Hi")),
                    gateway.PostAsync("/v1/messages", Requests.Messages(round % 3 == 0 ? ClaudeHaiku : GatewaySettings.ClaudeModel, "Hi")),
                };
                if (round % 5 == 0)
                {
                    requests.Add(gateway.PostAsync("/v1/chat/completions", Requests.Chat(GatewaySettings.GptModel, "Hello"), key: "not-a-key"));
                }

                foreach (var response in await Task.WhenAll(requests))
                {
                    response.Dispose();
                }

                await Task.Delay(120, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
