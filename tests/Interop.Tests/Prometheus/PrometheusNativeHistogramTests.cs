using System.Net;
using Metrics;
using Microsoft.Extensions.DependencyInjection;
using static Metrics.Testing.GatewayHarness.GatewaySettings;

namespace Interop.Tests.Prometheus;

/// <summary>
/// The real gateway scraped by two real Prometheus servers at once: one with its native histograms feature on, which
/// asks for protobuf first, and one without, which reads OpenMetrics text. Native histograms exist in Prometheus only
/// when they came over protobuf, so finding them proves the negotiation; their counts, sums and quantiles must match
/// what the test observed and our own estimate, and classic families must query the same on both servers.
/// </summary>
[NonParallelizable]
public sealed class PrometheusNativeHistogramTests
{
    private const string Probe = "interop_native_probe_seconds";
    private const string ClassicProbe = "interop_classic_probe_seconds";
    private const int Observations = 1_000;

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ScrapeTimeout = TimeSpan.FromSeconds(30);

    [Test]
    public async Task Prometheus_with_native_histograms_scrapes_protobuf_and_its_queries_match_our_counts_sums_and_quantiles()
    {
        await using var gateway = await TestGateway.StartAsync(settings => settings.Set("Gateway:Resilience:MinimumThroughput", "1000"));
        var registry = gateway.Services.GetRequiredService<MetricRegistry>();
        var options = new NativeHistogramOptions();
        var probe = registry.CreateNativeHistogram(Probe, "Values the interop test observed.", options);
        var classicProbe = registry.CreateHistogram(ClassicProbe, "Values the interop test observed, in classic buckets.", [0.25, 0.5, 1, 2, 4]);
        // The same values observed into an engine of our own, whose estimate Prometheus's must match.
        var reference = new NativeHistogramState(options, TimeProvider.System);
        var random = new Random(18);
        var sum = 0.0;
        for (var i = 0; i < Observations; i++)
        {
            // Multiples of 2^-10 up to 4: every partial sum is exact, in whatever order the stripes add them.
            var value = random.Next(1, 4097) / 1024.0;
            probe.Observe(value);
            classicProbe.Observe(value);
            reference.Observe(value);
            sum += value;
        }

        await using var native = await PrometheusServer.StartAsync(gateway.ManagementUri.Authority, ReadyTimeout, nativeHistograms: true);
        await using var text = await PrometheusServer.StartAsync(gateway.ManagementUri.Authority, ReadyTimeout);
        for (var round = 0; round < 3; round++)
        {
            await SendAsync(gateway, "/v1/chat/completions", Requests.Chat(GptModel, "Hello"));
            await SendAsync(gateway, "/v1/chat/completions", Requests.Chat(GptModel, "Stream it", stream: true));
            await SendAsync(gateway, "/v1/messages", Requests.Messages(ClaudeModel, "Bonjour"));
        }

        var served = registry.Collect().Find("llm_request_duration_seconds")!.Series.Sum(series => series.Value);
        var afterTraffic = DateTimeOffset.UtcNow;
        await native.WaitForScrapeAfterAsync(afterTraffic, ScrapeTimeout);
        await text.WaitForScrapeAfterAsync(afterTraffic, ScrapeTimeout);

        (await native.ScalarAsync($"up{{job=\"{PrometheusServer.Job}\"}}")).ShouldBe(1, native.Log);
        (await native.ScalarAsync($"histogram_count({Probe})")).ShouldBe(Observations);
        (await native.ScalarAsync($"histogram_sum({Probe})")).ShouldBe(sum);
        // Prometheus 2.42 keeps only the native form of a histogram that has one; the text server has only the classic form.
        (await native.QueryAsync($"{Probe}_count")).GetArrayLength().ShouldBe(0);
        (await text.ScalarAsync($"{Probe}_count")).ShouldBe(Observations);
        (await text.QueryAsync($"histogram_count({Probe})")).GetArrayLength().ShouldBe(0);

        await NativeQuantileCheck.ShouldMatchOursAsync(native, Probe, reference);

        // The gateway's latency histogram is exposed both ways: native on one server, classic on the other.
        served.ShouldBe(9);
        (await native.ScalarAsync("sum(histogram_count(llm_request_duration_seconds))")).ShouldBe(served);
        (await text.ScalarAsync("sum(llm_request_duration_seconds_count)")).ShouldBe(served);

        // Classic families read the same over protobuf as over text.
        foreach (var (promql, labels) in new (string, string[])[]
        {
            ("sum by (surface, provider, status) (llm_requests_total)", ["surface", "provider", "status"]),
            ("sum by (provider, model, type) (llm_tokens_total)", ["provider", "model", "type"]),
            ($"histogram_quantile(0.5, sum by (le) ({ClassicProbe}_bucket))", []),
            ($"histogram_quantile(0.99, {ClassicProbe}_bucket)", []),
            ($"{ClassicProbe}_sum", []),
            ($"{ClassicProbe}_count", []),
        })
        {
            (await native.ByLabelsAsync(promql, labels)).ShouldBe(await text.ByLabelsAsync(promql, labels), promql);
        }

        (await native.ScalarAsync($"{ClassicProbe}_count")).ShouldBe(Observations);
        (await native.ScalarAsync($"{ClassicProbe}_sum")).ShouldBe(sum);
    }

    private static async Task SendAsync(TestGateway gateway, string path, string json)
    {
        using var response = await gateway.PostAsync(path, json, TestKeys.Alpha);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }
}
