using Interop.Tests.Prometheus;
using Metrics;

namespace Interop.Tests.Pushgateway;

/// <summary>
/// The pusher against a real Pushgateway, scraped by a real Prometheus with <c>honor_labels: true</c>: what PromQL
/// returns must equal what was pushed, group by group, and a deleted group must disappear.
/// </summary>
[NonParallelizable]
public sealed class PushgatewayInteropTests
{
    private const string Job = "nightly-import";

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
        Pusher(pushgateway, registry, PushMethod.Replace, labels);

    private static MetricPusher Pusher(PushgatewayServer pushgateway, MetricRegistry registry, PushMethod method, params (string Name, string Value)[] labels)
    {
        var options = new MetricPusherOptions { Endpoint = pushgateway.BaseUri, Job = Job, Method = method, PushOnDispose = false };
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
