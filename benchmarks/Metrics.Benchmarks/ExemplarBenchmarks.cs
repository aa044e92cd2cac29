using System.Buffers;
using System.Diagnostics;
using BenchmarkDotNet.Attributes;

namespace Metrics.Benchmarks;

/// <summary>
/// What exemplars cost on the measurement path: nothing when a family does not enable them or no activity is
/// current, and no allocation even when they are recorded.
/// </summary>
[MemoryDiagnoser]
public class ExemplarBenchmarks
{
    private static readonly Exemplar Explicit = Exemplar.ForTrace("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331");

    private Counter _counterOff = null!;
    private Counter _counterOn = null!;
    private Histogram _histogramOff = null!;
    private Histogram _histogramOn = null!;
    private MetricRegistry _registry = null!;
    private Activity? _activity;

    [GlobalSetup(Targets = [
        nameof(Counter_Inc_exemplars_off), nameof(Counter_Inc_exemplars_on_no_activity), nameof(Counter_Inc_explicit_exemplar),
        nameof(Histogram_Observe_exemplars_off), nameof(Histogram_Observe_exemplars_on_no_activity), nameof(Histogram_Observe_explicit_exemplar)])]
    public void SetupWithoutActivity() => CreateInstruments();

    [GlobalSetup(Targets = [
        nameof(Counter_Inc_exemplars_on_sampled_activity), nameof(Counter_Inc_explicit_exemplar_exemplars_on_sampled_activity),
        nameof(Histogram_Observe_exemplars_on_sampled_activity)])]
    public void SetupWithActivity()
    {
        CreateInstruments();
        _activity = new Activity("request");
        _activity.SetIdFormat(ActivityIdFormat.W3C);
        _activity.ActivityTraceFlags = ActivityTraceFlags.Recorded;
        _activity.Start();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        // Proves the activity benchmarks measured recording: Activity.Current set in setup was current in the runs.
        var scrape = new ArrayBufferWriter<byte>();
        MetricsExposition.Write(_registry, ExpositionFormat.OpenMetrics, scrape);
        if (_activity is not null && scrape.WrittenSpan.IndexOf("trace_id"u8) < 0)
        {
            throw new InvalidOperationException("No exemplar was recorded: the activity was not current while the benchmark ran.");
        }

        _activity?.Stop();
    }

    [Benchmark(Baseline = true)]
    public void Counter_Inc_exemplars_off() => _counterOff.Inc();

    [Benchmark]
    public void Counter_Inc_exemplars_on_no_activity() => _counterOn.Inc();

    [Benchmark]
    public void Counter_Inc_exemplars_on_sampled_activity() => _counterOn.Inc();

    [Benchmark]
    public void Counter_Inc_explicit_exemplar() => _counterOff.Inc(1, Explicit);

    [Benchmark]
    public void Counter_Inc_explicit_exemplar_exemplars_on_sampled_activity() => _counterOn.Inc(1, Explicit);

    [Benchmark]
    public void Histogram_Observe_exemplars_off() => _histogramOff.Observe(0.3);

    [Benchmark]
    public void Histogram_Observe_exemplars_on_no_activity() => _histogramOn.Observe(0.3);

    [Benchmark]
    public void Histogram_Observe_exemplars_on_sampled_activity() => _histogramOn.Observe(0.3);

    [Benchmark]
    public void Histogram_Observe_explicit_exemplar() => _histogramOff.Observe(0.3, Explicit);

    private void CreateInstruments()
    {
        _registry = new MetricRegistry();
        var on = new FamilyOptions { EnableExemplars = true };
        _counterOff = _registry.CreateCounter("requests_off", "Requests.");
        _counterOn = _registry.CreateCounter("requests_on", "Requests.", on);
        _histogramOff = _registry.CreateHistogram("latency_off_seconds", "Latency.");
        _histogramOn = _registry.CreateHistogram("latency_on_seconds", "Latency.", options: on);
    }
}
