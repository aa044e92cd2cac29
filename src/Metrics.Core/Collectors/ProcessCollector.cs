using System.Runtime.CompilerServices;

namespace Metrics;

/// <summary>
/// Registers the process metrics of the Prometheus client conventions (client_golang's names, units and types) in
/// a registry, fed by one <see cref="ProcessStatistics"/> refresh per collection.
/// </summary>
internal static class ProcessCollector
{
    private static readonly ProcessMetric[] Metrics =
    [
        new(ProcessStatistic.CpuSeconds, "process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", IsTotal: true),
        new(ProcessStatistic.StartTimeSeconds, "process_start_time_seconds", "Start time of the process since unix epoch in seconds.", IsTotal: false),
        new(ProcessStatistic.ResidentMemoryBytes, "process_resident_memory_bytes", "Resident memory size in bytes.", IsTotal: false),
        new(ProcessStatistic.VirtualMemoryBytes, "process_virtual_memory_bytes", "Virtual memory size in bytes.", IsTotal: false),
        new(ProcessStatistic.OpenFileDescriptors, "process_open_fds", "Number of open file descriptors.", IsTotal: false),
        new(ProcessStatistic.MaxFileDescriptors, "process_max_fds", "Maximum number of open file descriptors.", IsTotal: false),
        new(ProcessStatistic.Threads, "process_threads", "Number of OS threads in the process.", IsTotal: false),
        new(ProcessStatistic.IoReadBytes, "process_io_read_bytes_total", "Bytes the process read through read system calls, page-cache hits included.", IsTotal: true),
        new(ProcessStatistic.IoWriteBytes, "process_io_write_bytes_total", "Bytes the process wrote through write system calls, page-cache writes included.", IsTotal: true),
    ];

    private static readonly ConditionalWeakTable<MetricRegistry, ProcessStatistics> Added = new();

    /// <summary>Adds the collector to <paramref name="registry"/> once; later calls do nothing.</summary>
    public static void AddTo(MetricRegistry registry)
    {
        var statistics = LinuxProcessStatistics.TryCreate() ?? (ProcessStatistics)new PortableProcessStatistics();
        AddTo(registry, statistics);
    }

    /// <summary>Adds the collector with a given source, so tests can exercise the portable one on Linux.</summary>
    internal static void AddTo(MetricRegistry registry, ProcessStatistics statistics)
    {
        if (!Added.TryAdd(registry, statistics))
        {
            return;
        }

        IDisposable? refresh = null;
        try
        {
            refresh = registry.AddBeforeCollectCallback(statistics.Refresh);
            foreach (var metric in Metrics)
            {
                if (statistics.Offers(metric.Statistic))
                {
                    Register(registry, statistics, metric);
                }
            }
        }
        catch
        {
            refresh?.Dispose();
            Added.Remove(registry);
            throw;
        }
    }

    private static void Register(MetricRegistry registry, ProcessStatistics statistics, ProcessMetric metric)
    {
        var statistic = metric.Statistic;
        Func<double> read = () => statistics.Read(statistic);
        if (metric.IsTotal)
        {
            registry.CreateCallbackCounter(metric.Name, metric.Help, read);
        }
        else
        {
            registry.CreateCallbackGauge(metric.Name, metric.Help, read);
        }
    }

    private readonly record struct ProcessMetric(ProcessStatistic Statistic, string Name, string Help, bool IsTotal);
}
