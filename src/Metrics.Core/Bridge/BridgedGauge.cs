using System.Diagnostics.Metrics;

namespace Metrics.Bridge;

/// <summary>
/// An <see cref="ObservableGauge{T}"/>, <see cref="ObservableUpDownCounter{T}"/> or (on .NET 9 and later) <c>Gauge&lt;T&gt;</c>,
/// bridged into a gauge that takes each measurement as its value.
/// </summary>
internal sealed class BridgedGauge(Instrument instrument, MeterBridge bridge) : BridgedInstrument<Gauge>(instrument, bridge)
{
    protected override MetricType Type => MetricType.Gauge;

    // Hot path: one store once the series exists; must never allocate, lock or throw.
    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => Resolve(tags)?.Set(value);

    protected override MetricFamily<Gauge> Register(string name, string help, string[] labelNames, FamilyOptions options) =>
        Bridge.Registry.CreateGaugeFamily(name, help, labelNames, options);
}
