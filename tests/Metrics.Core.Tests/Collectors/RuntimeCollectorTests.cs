using Metrics.Testing;

namespace Metrics.Tests.Collectors;

public sealed class RuntimeCollectorTests
{
    [Test]
    public void Gen0_collections_grow_after_a_gen0_collection()
    {
        var registry = new MetricRegistry().AddRuntimeCollector();
        var before = Collections(registry.Collect(), "0");

        GC.Collect(0);

        Collections(registry.Collect(), "0").ShouldBeGreaterThanOrEqualTo(before + 1);
    }

    [Test]
    public void Collections_are_one_counter_family_with_a_series_per_generation()
    {
        var family = new MetricRegistry().AddRuntimeCollector().Collect().Find("dotnet_gc_collections_total")!;

        family.Type.ShouldBe(MetricType.Counter);
        family.LabelNames.ShouldBe(["generation"]);
        family.Series.Select(series => series.LabelValues[0]).ShouldBe(["0", "1", "2"]);
        family.Series[2].Value.ShouldBe(GC.CollectionCount(2), tolerance: 1);
    }

    [Test]
    public void Info_carries_the_runtime_version_with_value_one()
    {
        var family = new MetricRegistry().AddRuntimeCollector().Collect().Find("dotnet_info")!;

        family.Series.Count.ShouldBe(1);
        family.Series[0].LabelValues.ShouldBe([Environment.Version.ToString()]);
        family.Series[0].Value.ShouldBe(1);
    }

    [Test]
    public void Allocated_bytes_grow_by_at_least_an_allocation()
    {
        var registry = new MetricRegistry().AddRuntimeCollector();
        var before = Value(registry.Collect(), "dotnet_gc_allocated_bytes_total");

        GC.KeepAlive(new byte[100_000]);

        Value(registry.Collect(), "dotnet_gc_allocated_bytes_total").ShouldBeGreaterThanOrEqualTo(before + 100_000);
    }

    [Test]
    public void Exceptions_total_counts_a_caught_exception()
    {
        var registry = new MetricRegistry().AddRuntimeCollector();
        var before = Value(registry.Collect(), "dotnet_exceptions_total");

        try
        {
            throw new InvalidOperationException("counted");
        }
        catch (InvalidOperationException)
        {
        }

        Value(registry.Collect(), "dotnet_exceptions_total").ShouldBeGreaterThanOrEqualTo(before + 1);
    }

    [Test]
    public void Thread_pool_completed_items_grow_after_work_items_run()
    {
        var registry = new MetricRegistry().AddRuntimeCollector();
        var before = Value(registry.Collect(), "dotnet_threadpool_completed_items_total");

        Task.WaitAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => { })).ToArray());

        Value(registry.Collect(), "dotnet_threadpool_completed_items_total").ShouldBeGreaterThanOrEqualTo(before + 10);
        Value(registry.Collect(), "dotnet_threadpool_threads").ShouldBeGreaterThanOrEqualTo(1);
    }

    [Test]
    public void Totals_are_counters_and_levels_are_gauges()
    {
        var snapshot = new MetricRegistry().AddRuntimeCollector().Collect();

        snapshot.Families.Select(family => (family.Name, family.Type)).ShouldBe(
        [
            ("dotnet_exceptions_total", MetricType.Counter),
            ("dotnet_gc_allocated_bytes_total", MetricType.Counter),
            ("dotnet_gc_collections_total", MetricType.Counter),
            ("dotnet_gc_heap_size_bytes", MetricType.Gauge),
            ("dotnet_gc_pause_seconds_total", MetricType.Counter),
            ("dotnet_info", MetricType.Gauge),
            ("dotnet_lock_contentions_total", MetricType.Counter),
            ("dotnet_threadpool_completed_items_total", MetricType.Counter),
            ("dotnet_threadpool_queue_length", MetricType.Gauge),
            ("dotnet_threadpool_threads", MetricType.Gauge),
        ]);
        Value(snapshot, "dotnet_gc_heap_size_bytes").ShouldBeGreaterThan(0);
    }

    [Test]
    public void Adding_the_runtime_collector_to_two_registries_and_twice_to_one_works()
    {
        var first = new MetricRegistry().AddRuntimeCollector().AddRuntimeCollector();
        var second = new MetricRegistry().AddDefaultCollectors();

        first.Collect().Find("dotnet_gc_collections_total")!.Series.Count.ShouldBe(3);
        second.Collect().Find("dotnet_gc_collections_total")!.Series.Count.ShouldBe(3);
        first.Collect().Find("metrics_scrape_errors_total").ShouldBeNull();
    }

    [Test]
    public void Runtime_metrics_pass_promtool_and_the_openmetrics_parser()
    {
        var registry = new MetricRegistry().AddRuntimeCollector();

        var run = Promtool.CheckMetrics(ExpositionText.Of(registry));
        run.ExitCode.ShouldBe(0, run.Output);
        run.Output.ShouldBe("");
        using var parsed = OpenMetricsParser.Parse(ExpositionText.Of(registry, ExpositionFormat.OpenMetrics));
        parsed.RootElement.GetProperty("ok").GetBoolean().ShouldBeTrue(parsed.RootElement.ToString());
    }

    private static double Collections(MetricsSnapshot snapshot, string generation) =>
        snapshot.Find("dotnet_gc_collections_total")!.Find(generation)!.Value;

    private static double Value(MetricsSnapshot snapshot, string name) => snapshot.Find(name)!.Series[0].Value;
}
