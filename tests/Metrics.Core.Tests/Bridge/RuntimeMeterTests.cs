namespace Metrics.Tests.Bridge;

public class RuntimeMeterTests
{
    [Test]
    public void The_runtime_meter_shows_garbage_collection_cpu_memory_and_assembly_values()
    {
        // System.Runtime is process-wide and exists from .NET 9 on; this bridge's registry sees only its instruments.
        var registry = new MetricRegistry();
        using var bridge = registry.AddMeterBridge(new MeterBridgeOptions { Meters = ["System.Runtime"] });
        GC.Collect(0);

        var snapshot = registry.Collect();

        var names = snapshot.Families.Select(family => family.Name).ToList();
        names.ShouldContain("dotnet_gc_collections_total");
        names.ShouldContain("dotnet_process_cpu_time_seconds_total");
        names.ShouldContain("dotnet_process_memory_working_set_bytes");
        names.ShouldContain("dotnet_process_cpu_count_current");
        names.ShouldContain("dotnet_assembly_count_current");
        Value(snapshot, "dotnet_gc_collections_total", "gen0").ShouldBeGreaterThanOrEqualTo(1);
        Value(snapshot, "dotnet_process_cpu_time_seconds_total", "user").ShouldBeGreaterThan(0);
        Value(snapshot, "dotnet_process_memory_working_set_bytes").ShouldBeGreaterThan(1_000_000);
        Value(snapshot, "dotnet_assembly_count_current").ShouldBeGreaterThan(10);
        Value(snapshot, "dotnet_process_cpu_count_current").ShouldBe(Environment.ProcessorCount);
        snapshot.Families.Single(family => family.Name == "dotnet_gc_collections_total").Type.ShouldBe(MetricType.Counter);
        snapshot.Families.Single(family => family.Name == "dotnet_process_memory_working_set_bytes").Type.ShouldBe(MetricType.Gauge);
    }

    private static double Value(MetricsSnapshot snapshot, string family, params string[] labelValues) =>
        snapshot.Find(family).ShouldNotBeNull().Find(labelValues).ShouldNotBeNull().Value;
}
