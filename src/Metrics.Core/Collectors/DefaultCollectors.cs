namespace Metrics;

/// <summary>
/// Adds the process and .NET runtime metrics that Prometheus clients expose by default, so existing dashboards
/// work: <c>registry.AddDefaultCollectors()</c>. Collectors are opt-in per registry; each one is added at most once.
/// </summary>
/// <remarks>
/// Collectors read their figures once per collection, before the families are written, on the scraping thread.
/// They take no lock of their own: a scrape never holds anything that a thread-pool thread could wait on.
/// </remarks>
public static class DefaultCollectors
{
    /// <summary>Adds both <see cref="AddProcessCollector"/> and <see cref="AddRuntimeCollector"/>.</summary>
    /// <returns>The same registry, for chaining.</returns>
    public static MetricRegistry AddDefaultCollectors(this MetricRegistry registry) =>
        registry.AddProcessCollector().AddRuntimeCollector();

    /// <summary>
    /// Adds the process metrics of client_golang: <c>process_cpu_seconds_total</c>, <c>process_start_time_seconds</c>,
    /// <c>process_resident_memory_bytes</c>, <c>process_virtual_memory_bytes</c>, <c>process_open_fds</c>,
    /// <c>process_max_fds</c>, plus <c>process_threads</c> and, from Linux's <c>rchar</c> and <c>wchar</c>,
    /// <c>process_io_read_bytes_total</c> and <c>process_io_write_bytes_total</c>.
    /// </summary>
    /// <remarks>
    /// On Linux the figures come straight from <c>/proc/self</c>; a file the sandbox hides, such as
    /// <c>/proc/self/io</c>, leaves its metrics out. Elsewhere only the figures a cheap portable call gives are
    /// exposed: CPU seconds, resident memory and start time. A figure that cannot be read at one scrape is left out
    /// of that scrape and counted in <c>metrics_scrape_errors_total</c>.
    /// </remarks>
    /// <returns>The same registry, for chaining.</returns>
    public static MetricRegistry AddProcessCollector(this MetricRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ProcessCollector.AddTo(registry);
        return registry;
    }

    /// <summary>
    /// Adds the .NET runtime metrics: <c>dotnet_gc_collections_total{generation}</c>, <c>dotnet_gc_heap_size_bytes</c>,
    /// <c>dotnet_gc_allocated_bytes_total</c>, <c>dotnet_gc_pause_seconds_total</c>, <c>dotnet_threadpool_threads</c>,
    /// <c>dotnet_threadpool_queue_length</c>, <c>dotnet_threadpool_completed_items_total</c>,
    /// <c>dotnet_lock_contentions_total</c>, <c>dotnet_exceptions_total</c> and <c>dotnet_info{version}</c>.
    /// </summary>
    /// <remarks>
    /// Exceptions are counted from the first time any registry adds this collector, through
    /// <see cref="AppDomain.FirstChanceException"/>; every other total is the runtime's own since the process started.
    /// </remarks>
    /// <returns>The same registry, for chaining.</returns>
    public static MetricRegistry AddRuntimeCollector(this MetricRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        RuntimeCollector.AddTo(registry);
        return registry;
    }
}
