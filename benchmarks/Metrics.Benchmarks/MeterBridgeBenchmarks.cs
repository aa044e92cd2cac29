using BenchmarkDotNet.Attributes;
using Otel = System.Diagnostics.Metrics;
using Prom = Prometheus;

namespace Metrics.Benchmarks;

/// <summary>
/// Row 10: one <c>Counter&lt;long&gt;.Add</c> with two tags, exported through a System.Diagnostics.Metrics listener:
/// our bridge, prometheus-net's MeterAdapter and the OpenTelemetry SDK (the <see cref="Competitors"/> meter and its
/// provider). Each side has a meter of its own and listens to that meter only, so no call pays for another side's listener.
/// </summary>
[MemoryDiagnoser]
public class MeterBridgeBenchmarks
{
    private static readonly KeyValuePair<string, object?> Method = new("http.request.method", "GET");
    private static readonly KeyValuePair<string, object?> Status = new("http.response.status_code", "200");

    // Many values that differ only in their last digits, as tenant and model ids do: the tag cache's hash must still
    // tell them apart.
    private static readonly KeyValuePair<string, object?>[] Tenants = CreateTenants(1024);

    private int _next;
    private Otel.Counter<long> _oursByTenant = null!;
    private Otel.Counter<long> _openTelemetryByTenant = null!;

    private Competitors _competitors = null!;
    private Otel.Meter _oursMeter = null!;
    private Otel.Meter _prometheusNetMeter = null!;
    private IDisposable _oursBridge = null!;
    private IDisposable _prometheusNetAdapter = null!;
    private Otel.Counter<long> _ours = null!;
    private Otel.Counter<long> _prometheusNet = null!;
    private Otel.Counter<long> _openTelemetry = null!;

    [GlobalSetup]
    public void Setup()
    {
        _competitors = new Competitors();
        _oursMeter = new Otel.Meter("Metrics.Benchmarks.Bridge.Ours");
        _prometheusNetMeter = new Otel.Meter("Metrics.Benchmarks.Bridge.PrometheusNet");

        _oursBridge = new MetricRegistry().AddMeterBridge(new MeterBridgeOptions { Meters = [_oursMeter.Name] });
        var prometheusNetMeter = _prometheusNetMeter;
        _prometheusNetAdapter = Prom.MeterAdapter.StartListening(new Prom.MeterAdapterOptions
        {
            Registry = _competitors.PrometheusRegistry,
            InstrumentFilterPredicate = instrument => instrument.Meter == prometheusNetMeter,
        });

        _ours = _oursMeter.CreateCounter<long>("http.requests");
        _prometheusNet = _prometheusNetMeter.CreateCounter<long>("http.requests");
        _openTelemetry = _competitors.Meter.CreateCounter<long>("http.requests");
        _oursByTenant = _oursMeter.CreateCounter<long>("tenant.requests");
        _openTelemetryByTenant = _competitors.Meter.CreateCounter<long>("tenant.requests");
        for (var i = 0; i < Tenants.Length; i++)
        {
            Ours_1024_tenants();
            OpenTelemetry_1024_tenants();
        }

        Ours();
        PrometheusNet();
        OpenTelemetry();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _oursBridge.Dispose();
        _prometheusNetAdapter.Dispose();
        _oursMeter.Dispose();
        _prometheusNetMeter.Dispose();
        _competitors.Dispose();
    }

    [Benchmark]
    public void Ours() => _ours.Add(1, Method, Status);

    [Benchmark]
    public void PrometheusNet() => _prometheusNet.Add(1, Method, Status);

    [Benchmark(Baseline = true)]
    public void OpenTelemetry() => _openTelemetry.Add(1, Method, Status);

    [Benchmark]
    public void Ours_1024_tenants() => _oursByTenant.Add(1, Method, Tenants[_next++ & (Tenants.Length - 1)]);

    [Benchmark]
    public void OpenTelemetry_1024_tenants() => _openTelemetryByTenant.Add(1, Method, Tenants[_next++ & (Tenants.Length - 1)]);

    private static KeyValuePair<string, object?>[] CreateTenants(int count)
    {
        var tenants = new KeyValuePair<string, object?>[count];
        for (var i = 0; i < count; i++)
        {
            tenants[i] = new("tenant", "tenant-" + i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture));
        }

        return tenants;
    }
}
