using System.Diagnostics.Metrics;

namespace Metrics.Tests.Bridge;

/// <summary>
/// A meter with a name no other test uses, and a fresh registry with a bridge that listens to that meter only, so that
/// tests running in one process never see each other's measurements.
/// </summary>
internal sealed class BridgedTestMeter : IDisposable
{
    private readonly IDisposable _bridge;

    public BridgedTestMeter(Action<MeterBridgeOptions>? configure = null, MetricRegistry? registry = null)
    {
        Meter = new Meter("Metrics.Tests.Bridge." + Guid.NewGuid().ToString("N"));
        Registry = registry ?? new MetricRegistry();
        var options = new MeterBridgeOptions { Meters = [Meter.Name] };
        configure?.Invoke(options);
        _bridge = Registry.AddMeterBridge(options);
    }

    public Meter Meter { get; }

    public MetricRegistry Registry { get; }

    public string Render(ExpositionFormat format = ExpositionFormat.PrometheusText) => ExpositionText.Of(Registry, format);

    /// <summary>The exposition without the bridge's own <c>metrics_bridge_dropped_total</c> family.</summary>
    public string RenderBridged() => string.Join("", Render().Split('\n').Where(line => !line.Contains("metrics_bridge_dropped_total", StringComparison.Ordinal)).Select(line => line + "\n")).TrimEnd('\n') + "\n";

    public double Dropped(string reason) =>
        Registry.Families.OfType<MetricFamily<Counter>>().Single(family => family.Name == "metrics_bridge_dropped_total").WithLabels(reason).Value;

    public void StopBridge() => _bridge.Dispose();

    public void Dispose()
    {
        _bridge.Dispose();
        Meter.Dispose();
    }
}
