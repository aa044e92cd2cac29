using Interop.Tests.Prometheus;
using Metrics;

namespace Interop.Tests.Pushgateway;

/// <summary>
/// The pusher against a real Pushgateway, scraped by a real Prometheus with <c>honor_labels: true</c>: what PromQL
/// returns must equal what was pushed, group by group, and a deleted group must disappear. Pushed over protobuf, native
/// histograms arrive whole (the Pushgateway keeps their fields and serves them to a Prometheus that asks for protobuf).
/// </summary>
[NonParallelizable]
public sealed class PushgatewayInteropTests
{
    private const string Job = "nightly-import";
    private const string NativeSteps = "batch_row_seconds";
    private const string TextSteps = "batch_text_row_seconds";
    private const int NativeObservations = 1_000;

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ScrapeTimeout = TimeSpan.FromSeconds(30);

    [Test]
    public async Task Prometheus_sees_exactly_what_each_group_pushed_and_a_deleted_group_disappears()
    {
        await using var pushgateway = await PushgatewayServer.StartAsync(ReadyTimeout);
        await using var prometheus = await PrometheusServer.StartAsync(pushgateway.BaseUri.Authority, ReadyTimeout, honorLabels: true);

        // "db/primary" holds a slash and "" is empty: both travel as @base64 segments of the grouping key.
        var primary = new MetricRegistry();
        Record(primary, records: 1234, durations: [0.5, 3, 7, 20]);
        await using var primaryPusher = Pusher(pushgateway, primary, ("instance", "db/primary"), ("shard", ""));
        var replica = new MetricRegistry();
        Record(replica, records: 99, durations: [0.2]);
        await using var replicaPusher = Pusher(pushgateway, replica, ("instance", "replica 2"));

        await ShouldSucceedAsync(primaryPusher.PushAsync(), pushgateway);
        await ShouldSucceedAsync(replicaPusher.PushAsync(), pushgateway);
        await prometheus.WaitForScrapeAfterAsync(DateTimeOffset.UtcNow, ScrapeTimeout);

        (await prometheus.ByLabelsAsync($"batch_records_total{{job=\"{Job}\"}}", "instance")).ShouldBe(Values(("db/primary", 1234), ("replica 2", 99)));
        (await prometheus.ScalarAsync($"sum(batch_records_total{{job=\"{Job}\"}})")).ShouldBe(1333);
        (await prometheus.ScalarAsync("batch_last_success_timestamp_seconds{instance=\"db/primary\"}")).ShouldBe(1_700_000_000.5);
        (await prometheus.ByLabelsAsync("batch_duration_seconds_bucket{instance=\"db/primary\"}", "le")).ShouldBe(Values(("1", 1), ("5", 2), ("10", 3), ("+Inf", 4)));
        (await prometheus.ScalarAsync("batch_duration_seconds_count{instance=\"db/primary\"}")).ShouldBe(4);
        (await prometheus.ScalarAsync("batch_duration_seconds_sum{instance=\"db/primary\"}")).ShouldBe(30.5);
        (await prometheus.ByLabelsAsync("batch_rows_total{instance=\"db/primary\"}", "table")).ShouldBe(Values(("orders", 1000), ("users", 234)));
        (await prometheus.ScalarAsync("count(push_time_seconds{job=\"nightly-import\"})")).ShouldBe(2, "one push time per group");
        (await prometheus.ScalarAsync("metrics_push_failures_total{instance=\"db/primary\"}")).ShouldBe(0);

        // A second PUT replaces the group's values; the other group keeps its own.
        primary.CreateCounter("batch_records", "Records imported.").Inc(6);
        await ShouldSucceedAsync(primaryPusher.PushAsync(), pushgateway);
        var deleted = await primaryPusher.DeleteAsync();
        deleted.Succeeded.ShouldBeTrue($"DELETE answered {deleted.StatusCode}: {deleted.Message}");
        await prometheus.WaitForScrapeAfterAsync(DateTimeOffset.UtcNow, ScrapeTimeout);

        (await prometheus.ByLabelsAsync($"batch_records_total{{job=\"{Job}\"}}", "instance")).ShouldBe(Values(("replica 2", 99)));
        (await prometheus.QueryAsync("batch_duration_seconds_count{instance=\"db/primary\"}")).GetArrayLength().ShouldBe(0, "the deleted group's series went stale");
        (await prometheus.ScalarAsync("count(push_time_seconds{job=\"nightly-import\"})")).ShouldBe(1);
    }

    [Test]
    public async Task Add_keeps_the_metrics_a_push_does_not_carry_and_replace_drops_them()
    {
        await using var pushgateway = await PushgatewayServer.StartAsync(ReadyTimeout);
        await using var prometheus = await PrometheusServer.StartAsync(pushgateway.BaseUri.Authority, ReadyTimeout, honorLabels: true);
        var full = new MetricRegistry();
        Record(full, records: 10, durations: [1]);
        var partial = new MetricRegistry();
        partial.CreateCounter("batch_records", "Records imported.").Inc(25);
        await using var fullPusher = Pusher(pushgateway, full, ("instance", "a"));
        await using var adder = Pusher(pushgateway, partial, PushMethod.Add, ("instance", "a"));
        await using var replacer = Pusher(pushgateway, partial, ("instance", "a"));

        await ShouldSucceedAsync(fullPusher.PushAsync(), pushgateway);
        await ShouldSucceedAsync(adder.PushAsync(), pushgateway, PushMethod.Add);
        await prometheus.WaitForScrapeAfterAsync(DateTimeOffset.UtcNow, ScrapeTimeout);
        (await prometheus.ScalarAsync("batch_records_total{instance=\"a\"}")).ShouldBe(25);
        (await prometheus.ScalarAsync("batch_duration_seconds_count{instance=\"a\"}")).ShouldBe(1, "POST keeps the metrics it does not carry");

        await ShouldSucceedAsync(replacer.PushAsync(), pushgateway);
        await prometheus.WaitForScrapeAfterAsync(DateTimeOffset.UtcNow, ScrapeTimeout);
        (await prometheus.ScalarAsync("batch_records_total{instance=\"a\"}")).ShouldBe(25);
        (await prometheus.QueryAsync("batch_duration_seconds_count{instance=\"a\"}")).GetArrayLength().ShouldBe(0, "PUT replaces the whole group");
    }

    [Test]
    public async Task A_protobuf_push_carries_native_histograms_to_prometheus_and_a_text_push_only_their_count_sum_and_inf_bucket()
    {
        await using var pushgateway = await PushgatewayServer.StartAsync(ReadyTimeout);
        await using var prometheus = await PrometheusServer.StartAsync(pushgateway.BaseUri.Authority, ReadyTimeout, honorLabels: true, nativeHistograms: true);
        var options = new NativeHistogramOptions();
        var overProtobuf = new MetricRegistry();
        var overText = new MetricRegistry();
        Record(overProtobuf, records: 1234, durations: [0.5, 3, 7, 20]);
        Record(overText, records: 1234, durations: [0.5, 3, 7, 20]);
        // Each format gets a family name of its own: Prometheus 2.42 reads a whole protobuf family as native or classic
        // from its first series, and the Pushgateway serves one family for every group that pushed it.
        NativeHistogram[] steps =
        [
            overProtobuf.CreateNativeHistogram(NativeSteps, "Time per row.", options),
            overText.CreateNativeHistogram(TextSteps, "Time per row.", options),
        ];
        // The same values observed into an engine of our own, whose estimate Prometheus's must match.
        var reference = new NativeHistogramState(options, TimeProvider.System);
        var random = new Random(19);
        var sum = 0.0;
        for (var i = 0; i < NativeObservations; i++)
        {
            // Multiples of 2^-10 up to 4: every partial sum is exact, in whatever order the stripes add them.
            var value = random.Next(1, 4097) / 1024.0;
            foreach (var step in steps)
            {
                step.Observe(value);
            }

            reference.Observe(value);
            sum += value;
        }

        await using var protobufPusher = Pusher(pushgateway, overProtobuf, ExpositionFormat.Protobuf, ("instance", "protobuf"));
        await using var textPusher = Pusher(pushgateway, overText, ExpositionFormat.PrometheusText, ("instance", "text"));
        await ShouldSucceedAsync(protobufPusher.PushAsync(), pushgateway);
        await ShouldSucceedAsync(textPusher.PushAsync(), pushgateway);
        await prometheus.WaitForScrapeAfterAsync(DateTimeOffset.UtcNow, ScrapeTimeout);

        (await prometheus.ScalarAsync($"histogram_count({NativeSteps}{{instance=\"protobuf\"}})")).ShouldBe(NativeObservations, prometheus.Log);
        (await prometheus.ScalarAsync($"histogram_sum({NativeSteps}{{instance=\"protobuf\"}})")).ShouldBe(sum);
        await NativeQuantileCheck.ShouldMatchOursAsync(prometheus, $"{NativeSteps}{{instance=\"protobuf\"}}", reference);

        // Over text, the Pushgateway holds what the text showed: the count, the sum and the +Inf bucket, no native buckets.
        (await prometheus.QueryAsync($"histogram_count({TextSteps})")).GetArrayLength().ShouldBe(0);
        (await prometheus.ScalarAsync($"{TextSteps}_count{{instance=\"text\"}}")).ShouldBe(NativeObservations);
        (await prometheus.ScalarAsync($"{TextSteps}_sum{{instance=\"text\"}}")).ShouldBe(sum);
        (await prometheus.ByLabelsAsync($"{TextSteps}_bucket{{instance=\"text\"}}", "le")).ShouldBe(Values(("+Inf", NativeObservations)));

        // Everything else reads the same whichever format carried it.
        foreach (var (promql, expected) in new (string, double)[]
        {
            ("batch_records_total", 1234), ("batch_last_success_timestamp_seconds", 1_700_000_000.5),
            ("batch_duration_seconds_count", 4), ("batch_duration_seconds_sum", 30.5),
        })
        {
            (await prometheus.ByLabelsAsync(promql, "instance")).ShouldBe(Values(("protobuf", expected), ("text", expected)), promql);
        }

        // Prometheus 2.42 asked the Pushgateway for protobuf, whose parser writes le as an OpenMetrics float: "1.0", not "1".
        foreach (var instance in new[] { "protobuf", "text" })
        {
            (await prometheus.ByLabelsAsync($"batch_duration_seconds_bucket{{instance=\"{instance}\"}}", "le")).ShouldBe(Values(("1.0", 1), ("5.0", 2), ("10.0", 3), ("+Inf", 4)));
        }

        (await prometheus.ByLabelsAsync("batch_rows_total{instance=\"protobuf\"}", "table")).ShouldBe(Values(("orders", 1000), ("users", 234)));
    }

    private static void Record(MetricRegistry registry, int records, double[] durations)
    {
        registry.CreateCounter("batch_records", "Records imported.").Inc(records);
        registry.CreateGauge("batch_last_success_timestamp_seconds", "When the batch last succeeded.").Set(1_700_000_000.5);
        var duration = registry.CreateHistogram("batch_duration_seconds", "Time per step.", [1, 5, 10]);
        foreach (var seconds in durations)
        {
            duration.Observe(seconds);
        }

        var rows = registry.CreateCounterFamily("batch_rows", "Rows imported by table.", ["table"]);
        rows.WithLabels("orders").Inc(records - (records % 1000));
        rows.WithLabels("users").Inc(records % 1000);
    }

    private static MetricPusher Pusher(PushgatewayServer pushgateway, MetricRegistry registry, params (string Name, string Value)[] labels) =>
        Pusher(pushgateway, registry, PushMethod.Replace, ExpositionFormat.PrometheusText, labels);

    private static MetricPusher Pusher(PushgatewayServer pushgateway, MetricRegistry registry, PushMethod method, params (string Name, string Value)[] labels) =>
        Pusher(pushgateway, registry, method, ExpositionFormat.PrometheusText, labels);

    private static MetricPusher Pusher(PushgatewayServer pushgateway, MetricRegistry registry, ExpositionFormat format, params (string Name, string Value)[] labels) =>
        Pusher(pushgateway, registry, PushMethod.Replace, format, labels);

    private static MetricPusher Pusher(
        PushgatewayServer pushgateway, MetricRegistry registry, PushMethod method, ExpositionFormat format, params (string Name, string Value)[] labels)
    {
        var options = new MetricPusherOptions { Endpoint = pushgateway.BaseUri, Job = Job, Method = method, Format = format, PushOnDispose = false };
        foreach (var (name, value) in labels)
        {
            options.GroupingLabels[name] = value;
        }

        return new MetricPusher(registry, options);
    }

    private static async Task ShouldSucceedAsync(Task<PushResult> push, PushgatewayServer pushgateway, PushMethod method = PushMethod.Replace)
    {
        var result = await push;
        result.Succeeded.ShouldBeTrue($"{result.Method} {result.Url} answered {result.StatusCode}: {result.Message} {result.Error}\n{pushgateway.Log}");
        result.Method.ShouldBe(method == PushMethod.Add ? "POST" : "PUT");
    }

    private static SortedDictionary<string, double> Values(params (string Key, double Value)[] entries)
    {
        var values = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (key, value) in entries)
        {
            values.Add(key, value);
        }

        return values;
    }
}
