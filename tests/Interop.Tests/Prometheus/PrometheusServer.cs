using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Metrics.Testing;

namespace Interop.Tests.Prometheus;

/// <summary>
/// A real Prometheus server (Debian's <c>/usr/bin/prometheus</c>) scraping one target every second, with its TSDB in a
/// temporary directory and its API on a free 127.0.0.1 port, run as a <see cref="ToolProcess"/>. Every wait is bounded:
/// a server that never starts or never scrapes fails the test with its log.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    public const string Job = "gateway";

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly ToolProcess _process;
    private readonly HttpClient _client;

    private PrometheusServer(ToolProcess process, Uri baseUri)
    {
        _process = process;
        _client = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>What the server wrote to stdout and stderr so far, for failure messages.</summary>
    public string Log => _process.Log;

    /// <summary>
    /// Starts Prometheus scraping <paramref name="target"/> (<c>host:port</c>) and waits until it is ready. With
    /// <paramref name="honorLabels"/>, the labels of the scraped samples win over the target's, as a Pushgateway's
    /// scrape needs so that each pushed group keeps its own <c>job</c> and <c>instance</c>. With
    /// <paramref name="nativeHistograms"/>, its native histograms feature is on, which makes it ask for protobuf first.
    /// </summary>
    public static async Task<PrometheusServer> StartAsync(string target, TimeSpan readyTimeout, bool honorLabels = false, bool nativeHistograms = false)
    {
        var path = RequiredTool.Find("prometheus", "install Debian's 'prometheus' package (apt-get install -y prometheus)", fixedPath: "/usr/bin/prometheus");
        var directory = Directory.CreateTempSubdirectory("interop-prometheus-");
        var config = Path.Combine(directory.FullName, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: {Job}
                honor_labels: {(honorLabels ? "true" : "false")}
                static_configs:
                  - targets: ['{target}']
            """);
        var listen = $"127.0.0.1:{ToolProcess.FreeLoopbackPort()}";
        var baseUri = new Uri($"http://{listen}/");
        var process = await ToolProcess.StartAsync("Prometheus", path, directory, [
            $"--config.file={config}",
            $"--storage.tsdb.path={Path.Combine(directory.FullName, "data")}",
            $"--web.listen-address={listen}",
            nativeHistograms ? "--enable-feature=exemplar-storage,native-histograms" : "--enable-feature=exemplar-storage"],
            new Uri(baseUri, "-/ready"), readyTimeout);
        return new PrometheusServer(process, baseUri);
    }

    /// <summary>
    /// Waits until Prometheus has completed a scrape that began after <paramref name="instant"/>, by polling
    /// <c>timestamp(up)</c> (the start of the latest scrape); fails after <paramref name="timeout"/>.
    /// </summary>
    public async Task WaitForScrapeAfterAsync(DateTimeOffset instant, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        double? latest = null;
        while (watch.Elapsed < timeout)
        {
            var result = await QueryAsync($"timestamp(up{{job=\"{Job}\"}})");
            latest = result.GetArrayLength() == 1 ? SampleValue(result[0]) : null;
            if (latest is { } seconds && seconds * 1000 > instant.ToUnixTimeMilliseconds())
            {
                return;
            }

            await Task.Delay(PollInterval);
        }

        Assert.Fail($"Prometheus did not scrape after {instant:O} within {timeout.TotalSeconds} s (latest scrape at {latest?.ToString(CultureInfo.InvariantCulture) ?? "never"}).\nPrometheus log:\n{Log}");
    }

    /// <summary>The <c>data.result</c> array of an instant query evaluated now.</summary>
    public async Task<JsonElement> QueryAsync(string promql)
    {
        var data = await GetDataAsync($"api/v1/query?query={Uri.EscapeDataString(promql)}");
        data.GetProperty("resultType").GetString().ShouldBe("vector", promql);
        return data.GetProperty("result");
    }

    /// <summary>The value of a query that must return exactly one sample.</summary>
    public async Task<double> ScalarAsync(string promql)
    {
        var result = await QueryAsync(promql);
        result.GetArrayLength().ShouldBe(1, $"{promql} returned {result}");
        return SampleValue(result[0]);
    }

    /// <summary>Each sample of a vector query, keyed by the values of <paramref name="labels"/> joined with <c>/</c>, in ordinal key order.</summary>
    public async Task<SortedDictionary<string, double>> ByLabelsAsync(string promql, params string[] labels)
    {
        var values = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var sample in (await QueryAsync(promql)).EnumerateArray())
        {
            var metric = sample.GetProperty("metric");
            values.Add(string.Join('/', labels.Select(label => metric.GetProperty(label).GetString())), SampleValue(sample));
        }

        return values;
    }

    /// <summary>The <c>data</c> array of <c>/api/v1/query_exemplars</c> for <paramref name="promql"/> over the last hour.</summary>
    public async Task<JsonElement> QueryExemplarsAsync(string promql)
    {
        var end = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 60;
        var start = end - 3600;
        return await GetDataAsync(FormattableString.Invariant($"api/v1/query_exemplars?query={Uri.EscapeDataString(promql)}&start={start}&end={end}"));
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _process.DisposeAsync();
    }

    private static double SampleValue(JsonElement sample) =>
        double.Parse(sample.GetProperty("value")[1].GetString()!.Replace("Inf", "Infinity", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture);

    private async Task<JsonElement> GetDataAsync(string relative)
    {
        using var response = await _client.GetAsync(relative);
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, $"GET {relative}: {body}");
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        root.GetProperty("status").GetString().ShouldBe("success", body);
        return root.GetProperty("data").Clone();
    }
}
