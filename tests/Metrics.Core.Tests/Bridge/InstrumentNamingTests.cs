using Metrics.Bridge;

namespace Metrics.Tests.Bridge;

public class InstrumentNamingTests
{
    [TestCase("http.server.request.duration", "s", MetricType.Histogram, "http_server_request_duration_seconds", "seconds")]
    [TestCase("http.client.request.time_in_queue", "ms", MetricType.Histogram, "http_client_request_time_in_queue_milliseconds", "milliseconds")]
    [TestCase("kestrel.active_connections", "{connection}", MetricType.Gauge, "kestrel_active_connections", "")]
    [TestCase("dotnet.gc.collections", "{collection}", MetricType.Counter, "dotnet_gc_collections_total", "")]
    [TestCase("dotnet.gc.heap.total_allocated", "By", MetricType.Counter, "dotnet_gc_heap_total_allocated_bytes_total", "bytes")]
    [TestCase("dotnet.process.cpu.time", "s", MetricType.Counter, "dotnet_process_cpu_time_seconds_total", "seconds")]
    [TestCase("queue.bytes", "By", MetricType.Gauge, "queue_bytes", "bytes")]
    [TestCase("requests_total", "{request}", MetricType.Counter, "requests_total", "")]
    [TestCase("cpu.utilization", "1", MetricType.Gauge, "cpu_utilization_ratio", "ratio")]
    [TestCase("retries", "1", MetricType.Counter, "retries_total", "")]
    [TestCase("network.io", "By/s", MetricType.Gauge, "network_io_bytes_per_second", "bytes_per_second")]
    [TestCase("packets.rate", "{packet}/s", MetricType.Gauge, "packets_rate_per_second", "per_second")]
    [TestCase("disk.usage", "%", MetricType.Gauge, "disk_usage_percent", "percent")]
    [TestCase("payload", "KiBy", MetricType.Histogram, "payload_kibibytes", "kibibytes")]
    [TestCase("fan.speed", "rpm", MetricType.Gauge, "fan_speed_rpm", "rpm")]
    [TestCase("odd..name--x", null, MetricType.Gauge, "odd_name_x", "")]
    [TestCase("dotnet.assembly.count", "{assembly}", MetricType.Gauge, "dotnet_assembly_count_current", "")]
    [TestCase("pool.sum", "By", MetricType.Gauge, "pool_sum_bytes", "bytes")]
    [TestCase("cache.bucket", null, MetricType.Gauge, "cache_bucket_current", "")]
    [TestCase("dotnet.thread_pool.thread.count", "{thread}", MetricType.Counter, "dotnet_thread_pool_thread_count_total", "")]
    [TestCase("queue.total", null, MetricType.Gauge, "queue_total_current", "")]
    [TestCase("9.lives", "", MetricType.Gauge, "_9_lives", "")]
    public void Names_follow_the_opentelemetry_prometheus_conversion(string instrument, string? unit, MetricType type, string name, string familyUnit)
    {
        InstrumentNaming.Convert(instrument, unit, type).ShouldBe((name, familyUnit));
    }
}
