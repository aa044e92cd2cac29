using System.Globalization;
using System.Runtime.CompilerServices;

namespace Metrics;

/// <summary>
/// Registers .NET runtime metrics in a registry: garbage collection, thread pool, lock contention, exceptions and
/// the runtime version. Every figure comes from a runtime counter that one call reads without allocating; the
/// totals the runtime keeps are exposed as counters.
/// </summary>
internal static class RuntimeCollector
{
    private static readonly ConditionalWeakTable<MetricRegistry, object> Added = new();

    // One delegate per generation for the life of the process, so every registry registers the same callbacks.
    private static readonly Func<double>[] CollectionCounts = CreateCollectionCounts();

    /// <summary>Adds the collector to <paramref name="registry"/> once; later calls do nothing.</summary>
    public static void AddTo(MetricRegistry registry)
    {
        if (!Added.TryAdd(registry, CollectionCounts))
        {
            return;
        }

        try
        {
            Register(registry);
        }
        catch
        {
            Added.Remove(registry);
            throw;
        }
    }

    private static void Register(MetricRegistry registry)
    {
        FirstChanceExceptionCounter.Start();
        for (var generation = 0; generation < CollectionCounts.Length; generation++)
        {
            registry.CreateCallbackCounter(
                "dotnet_gc_collections_total",
                "Garbage collections since the process started, by generation; collecting a generation also collects the younger ones and counts for each.",
                ["generation"],
                [generation.ToString(CultureInfo.InvariantCulture)],
                CollectionCounts[generation]);
        }

        registry.CreateCallbackGauge("dotnet_gc_heap_size_bytes", "Bytes currently thought to be allocated in the GC heap.", static () => GC.GetTotalMemory(forceFullCollection: false));
        registry.CreateCallbackCounter("dotnet_gc_allocated_bytes_total", "Bytes allocated on the GC heap since the process started.", static () => GC.GetTotalAllocatedBytes());
        registry.CreateCallbackCounter("dotnet_gc_pause_seconds_total", "Time the garbage collector paused the process since it started, in seconds.", static () => GC.GetTotalPauseDuration().TotalSeconds);
        registry.CreateCallbackGauge("dotnet_threadpool_threads", "Thread-pool threads that currently exist.", static () => ThreadPool.ThreadCount);
        registry.CreateCallbackGauge("dotnet_threadpool_queue_length", "Work items queued to the thread pool and not yet started.", static () => ThreadPool.PendingWorkItemCount);
        registry.CreateCallbackCounter("dotnet_threadpool_completed_items_total", "Work items the thread pool has completed since the process started.", static () => ThreadPool.CompletedWorkItemCount);
        registry.CreateCallbackCounter("dotnet_lock_contentions_total", "Times a thread waited for a contended Monitor lock since the process started.", static () => Monitor.LockContentionCount);
        registry.CreateCallbackCounter("dotnet_exceptions_total", "Exceptions thrown, caught or not, since the runtime collector was first added.", static () => FirstChanceExceptionCounter.Count);
        registry.CreateGaugeFamily("dotnet_info", "The .NET runtime version; the value is always 1.", ["version"])
            .WithLabels(Environment.Version.ToString())
            .Set(1);
    }

    private static Func<double>[] CreateCollectionCounts()
    {
        var counts = new Func<double>[GC.MaxGeneration + 1];
        for (var generation = 0; generation < counts.Length; generation++)
        {
            var collected = generation;
            counts[generation] = () => GC.CollectionCount(collected);
        }

        return counts;
    }
}
