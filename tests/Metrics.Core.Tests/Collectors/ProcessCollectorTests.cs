using Metrics.Testing;

namespace Metrics.Tests.Collectors;

public sealed class ProcessCollectorTests
{
    [Test]
    public void Process_collector_exposes_every_client_golang_process_metric_on_linux()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("The full process metric set is read from /proc, which only Linux has.");
        }

        var snapshot = new MetricRegistry().AddProcessCollector().Collect();

        string[] always =
        [
            "process_cpu_seconds_total", "process_max_fds", "process_open_fds", "process_resident_memory_bytes",
            "process_start_time_seconds", "process_threads", "process_virtual_memory_bytes",
        ];
        string[] io = CanRead("/proc/self/io") ? ["process_io_read_bytes_total", "process_io_write_bytes_total"] : [];
        snapshot.Families.Select(family => family.Name).ShouldBe([.. always.Concat(io).Order(StringComparer.Ordinal)]);
        snapshot.Find("process_cpu_seconds_total")!.Type.ShouldBe(MetricType.Counter);
        snapshot.Find("process_open_fds")!.Type.ShouldBe(MetricType.Gauge);
        snapshot.Find("metrics_scrape_errors_total").ShouldBeNull();
    }

    [Test]
    public void Cpu_seconds_increase_after_busy_work()
    {
        var registry = new MetricRegistry().AddProcessCollector();
        var before = CpuSeconds(registry);

        BurnCpu(TimeSpan.FromMilliseconds(300));

        // Two readings in whole clock ticks of 10 ms each lose at most 20 ms of the 300 burnt.
        CpuSeconds(registry).ShouldBeGreaterThanOrEqualTo(before + 0.28);
    }

    [Test]
    public void Resident_memory_is_above_one_megabyte_and_virtual_memory_above_resident()
    {
        var snapshot = new MetricRegistry().AddProcessCollector().Collect();

        var resident = Value(snapshot, "process_resident_memory_bytes");
        resident.ShouldBeGreaterThan(1024 * 1024);
        if (OperatingSystem.IsLinux())
        {
            Value(snapshot, "process_virtual_memory_bytes").ShouldBeGreaterThan(resident);
        }
    }

    [Test]
    public void Open_fds_grow_by_one_when_a_file_is_opened_and_shrink_when_it_is_closed()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("Open descriptors are counted from /proc/self, which only Linux has.");
        }

        var registry = new MetricRegistry().AddProcessCollector();

        DescriptorCounts.OpeningAFileAddsExactlyOne(() => Value(registry.Collect(), "process_open_fds")).ShouldBeTrue();
    }

    [Test]
    public void Max_fds_is_the_soft_limit_and_above_the_open_count()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("The descriptor limit is read from /proc/self/limits, which only Linux has.");
        }

        var snapshot = new MetricRegistry().AddProcessCollector().Collect();

        var softLimit = File.ReadAllLines("/proc/self/limits").Single(line => line.StartsWith("Max open files", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[3];
        Value(snapshot, "process_max_fds").ShouldBe(double.Parse(softLimit, System.Globalization.CultureInfo.InvariantCulture));
        Value(snapshot, "process_max_fds").ShouldBeGreaterThan(Value(snapshot, "process_open_fds"));
    }

    [Test]
    public void Threads_count_at_least_the_threads_this_test_starts()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("Threads are read from /proc/self/stat, which only Linux has.");
        }

        var registry = new MetricRegistry().AddProcessCollector();
        using var release = new ManualResetEventSlim();
        var threads = Enumerable.Range(0, 4).Select(_ => new Thread(() => release.Wait())).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        try
        {
            Value(registry.Collect(), "process_threads").ShouldBeGreaterThanOrEqualTo(5);
        }
        finally
        {
            release.Set();
            foreach (var thread in threads)
            {
                thread.Join();
            }
        }
    }

    [Test]
    public void Io_read_total_grows_by_at_least_the_bytes_read_from_a_file()
    {
        var snapshot = new MetricRegistry().AddProcessCollector().Collect();
        if (snapshot.Find("process_io_read_bytes_total") is null)
        {
            Assert.Ignore("This machine hides /proc/self/io, so the collector leaves the io totals out.");
        }

        var registry = new MetricRegistry().AddProcessCollector();
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, new byte[64 * 1024]);
            var before = Value(registry.Collect(), "process_io_read_bytes_total");
            File.ReadAllBytes(path).Length.ShouldBe(64 * 1024);
            Value(registry.Collect(), "process_io_read_bytes_total").ShouldBeGreaterThanOrEqualTo(before + (64 * 1024));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Start_time_is_the_process_start_to_the_clock_tick_and_not_in_the_future()
    {
        var startTime = Value(new MetricRegistry().AddProcessCollector().Collect(), "process_start_time_seconds");

        using var process = System.Diagnostics.Process.GetCurrentProcess();
        var expected = new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0;
        startTime.ShouldBe(expected, tolerance: 1.0);
        startTime.ShouldBeLessThanOrEqualTo(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0);
    }

    [Test]
    public void Portable_source_offers_cpu_resident_memory_and_start_time_only()
    {
        var registry = new MetricRegistry();
        ProcessCollector.AddTo(registry, new PortableProcessStatistics());

        var snapshot = registry.Collect();

        snapshot.Families.Select(family => family.Name)
            .ShouldBe(["process_cpu_seconds_total", "process_resident_memory_bytes", "process_start_time_seconds"]);
        Value(snapshot, "process_resident_memory_bytes").ShouldBeGreaterThan(1024 * 1024);
        Value(snapshot, "process_cpu_seconds_total").ShouldBeGreaterThan(0);
        Value(snapshot, "process_start_time_seconds").ShouldBe(
            Value(new MetricRegistry().AddProcessCollector().Collect(), "process_start_time_seconds"), tolerance: 1);
    }

    [Test]
    public void Adding_the_process_collector_twice_registers_it_once()
    {
        var registry = new MetricRegistry().AddProcessCollector().AddProcessCollector();

        var snapshot = registry.Collect();

        snapshot.Find("process_cpu_seconds_total")!.Series.Count.ShouldBe(1);
        snapshot.Find("metrics_scrape_errors_total").ShouldBeNull();
    }

    [Test]
    public void Process_metrics_pass_promtool()
    {
        var registry = new MetricRegistry().AddDefaultCollectors();

        var text = ExpositionText.Of(registry);
        var run = Promtool.CheckMetrics(text);

        run.ExitCode.ShouldBe(0, run.Output);
        run.Output.ShouldBe("");
        text.ShouldContain("# TYPE process_cpu_seconds_total counter\n");
        text.ShouldContain("# TYPE dotnet_gc_collections_total counter\n");
    }

    private static bool CanRead(string path)
    {
        try
        {
            return File.ReadAllText(path).Length > 0;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static double CpuSeconds(MetricRegistry registry) => Value(registry.Collect(), "process_cpu_seconds_total");

    private static double Value(MetricsSnapshot snapshot, string name) => snapshot.Find(name)!.Series[0].Value;

    // Spins until the process has used this much CPU by the runtime's own account (getrusage), however loaded the
    // machine is, so the collector's figure can be checked against an independent reading.
    private static void BurnCpu(TimeSpan cpu)
    {
        var until = Environment.CpuUsage.TotalTime + cpu;
        var spins = 0L;
        while (Environment.CpuUsage.TotalTime < until)
        {
            spins++;
        }

        spins.ShouldBeGreaterThan(0);
    }
}
