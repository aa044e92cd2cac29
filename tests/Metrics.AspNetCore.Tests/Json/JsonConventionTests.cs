using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Metrics.AspNetCore.Tests.Live;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Metrics.AspNetCore.Tests.Json;

/// <summary>
/// Every JSON endpoint writes non-finite numbers the same way (null) and estimates the one configured quantile set.
/// The data: gauges set to NaN, +Inf and -Inf, and a histogram over [1, 2, 4] holding 0.5, 1.5, 1.5 and 3, so its
/// cumulative counts are 1, 3, 4 of 4 and its sum 6.5: the 0.25 quantile (rank 1) is the top of the first bucket, 1,
/// and the 0.75 quantile (rank 3) the top of the second, 2.
/// </summary>
public sealed class JsonConventionTests
{
    private const string HistogramFamily =
        """{"selector":"latency_seconds","name":"latency_seconds","type":"histogram","labelNames":[],"series":[""";

    private const string GaugeFamily =
        """{"selector":"ratio","name":"ratio","type":"gauge","labelNames":["kind"],"series":[""" +
        """{"labels":{"kind":"nan"},"value":[null,null]},{"labels":{"kind":"positive"},"value":[null,null]},{"labels":{"kind":"negative"},"value":[null,null]}]}""";

    private static readonly double[] Quantiles = [0.25, 0.75];

    private FakeTimeProvider _clock = null!;

    [SetUp]
    public void CreateClock() => _clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Test]
    public async Task Snapshot_writes_non_finite_values_as_null_and_the_configured_quantiles()
    {
        await using var app = await TestApplications.StartAsync(
            static app => app.MapPrometheusMetricsSnapshot(), configureMetrics: static options => options.Quantiles = [.. Quantiles]);
        Record(app.Registry());

        var document = JsonNode.Parse(await app.GetTestClient().GetStringAsync("/metrics/snapshot"))!.AsObject();
        document.Remove("timestamp").ShouldBeTrue();

        const string histogram =
            """{"labels":{},"count":4,"sum":6.5,"buckets":[{"le":1,"count":1},{"le":2,"count":3},{"le":4,"count":4}],"quantiles":[{"quantile":0.25,"value":1},{"quantile":0.75,"value":2}]}""";
        document.ToJsonString().ShouldBe(
            """{"families":[""" +
            """{"name":"latency_seconds","type":"histogram","help":"Latency.","labelNames":[],"series":[""" + histogram + """],"aggregate":""" + histogram + "}," +
            """{"name":"ratio","type":"gauge","help":"Ratio.","labelNames":["kind"],"series":[""" +
            """{"labels":{"kind":"nan"},"value":null},{"labels":{"kind":"positive"},"value":null},{"labels":{"kind":"negative"},"value":null}]}]}""");
    }

    [Test]
    public async Task History_writes_non_finite_values_as_null_and_the_configured_quantiles()
    {
        await using var app = await TestApplications.StartAsync(
            static app => app.MapPrometheusMetricsHistory(),
            configureMetrics: static options => options.Quantiles = [.. Quantiles],
            configureBuilder: builder => builder.Services.AddPrometheusMetricsHistory(options =>
            {
                options.Interval = TimeSpan.FromSeconds(10);
                options.TimeProvider = _clock;
            }));
        Record(app.Registry());
        _clock.Advance(TimeSpan.FromSeconds(10));

        var json = await app.GetTestClient().GetStringAsync("/metrics/history?family=ratio&family=latency_seconds");

        json.ShouldBe(
            """{"type":"history","firstSequence":0,"lastSequence":1,"intervalSeconds":10,""" +
            "\"timestamps\":[\"2026-01-01T00:00:00+00:00\",\"2026-01-01T00:00:10+00:00\"],\"families\":[" + GaugeFamily + "," + HistogramFamily +
            """{"labels":{},"rate":[null,0.4],"increase":4,"quantiles":[{"quantile":0.25,"values":[null,1]},{"quantile":0.75,"values":[null,2]}],"average":[null,1.625]}]}]}""");
    }

    [Test]
    public async Task Stream_and_WebSocket_write_non_finite_values_as_null_and_the_configured_quantiles()
    {
        await using var app = await LiveApplications.StartAsync(_clock, static options => options.Quantiles = [.. Quantiles]);
        Record(app.Registry());
        _clock.Advance(TimeSpan.FromSeconds(1));
        const string expected =
            """{"type":"history","firstSequence":0,"lastSequence":1,"intervalSeconds":1,""" +
            "\"timestamps\":[\"2026-01-01T00:00:00+00:00\",\"2026-01-01T00:00:01+00:00\"],\"families\":[" + GaugeFamily + "," + HistogramFamily +
            """{"labels":{},"rate":[null,4],"increase":4,"quantiles":[{"quantile":0.25,"values":[null,1]},{"quantile":0.75,"values":[null,2]}],"average":[null,1.625]}]}]}""";
        const string query = "?family=ratio&family=latency_seconds";

        using var client = new HttpClient { BaseAddress = app.Address() };
        using var events = new ServerSentEvents(await client.GetStreamAsync("/metrics/stream" + query));
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://{app.Address().Authority}/metrics/ws{query}"), CancellationToken.None);

        (await events.ReadAsync()).Data.GetRawText().ShouldBe(expected);
        (await LiveSockets.ReceiveAsync(socket)).GetRawText().ShouldBe(expected);
    }

    private static void Record(MetricRegistry registry)
    {
        var ratio = registry.CreateGaugeFamily("ratio", "Ratio.", ["kind"]);
        ratio.WithLabels("nan").Set(double.NaN);
        ratio.WithLabels("positive").Set(double.PositiveInfinity);
        ratio.WithLabels("negative").Set(double.NegativeInfinity);
        var latency = registry.CreateHistogram("latency_seconds", "Latency.", [1, 2, 4]);
        foreach (var value in (ReadOnlySpan<double>)[0.5, 1.5, 1.5, 3])
        {
            latency.Observe(value);
        }
    }
}
