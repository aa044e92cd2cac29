using System.Buffers;
using BenchmarkDotNet.Attributes;

namespace Metrics.Benchmarks;

/// <summary>
/// What the default collectors add to every scrape: one collection (reading /proc/self and the runtime counters
/// into their series) and a whole text scrape of a registry that holds only them.
/// </summary>
[MemoryDiagnoser]
public class CollectorBenchmarks
{
    private readonly MetricRegistry _both = new MetricRegistry().AddDefaultCollectors();
    private readonly MetricRegistry _process = new MetricRegistry().AddProcessCollector();
    private readonly MetricRegistry _runtime = new MetricRegistry().AddRuntimeCollector();
    private readonly ArrayBufferWriter<byte> _output = new(16 * 1024);

    [Benchmark(Baseline = true)]
    public MetricFamily[] Collect_process_and_runtime() => _both.PrepareCollection();

    [Benchmark]
    public MetricFamily[] Collect_process() => _process.PrepareCollection();

    [Benchmark]
    public MetricFamily[] Collect_runtime() => _runtime.PrepareCollection();

    [Benchmark]
    public int Scrape_process_and_runtime_as_text()
    {
        _output.ResetWrittenCount();
        MetricsExposition.Write(_both, ExpositionFormat.PrometheusText, _output);
        return _output.WrittenCount;
    }
}
