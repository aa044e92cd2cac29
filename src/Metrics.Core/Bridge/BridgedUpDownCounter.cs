using System.Diagnostics.Metrics;

namespace Metrics.Bridge;

/// <summary>An <see cref="UpDownCounter{T}"/>, bridged into a gauge that adds up its changes.</summary>
internal sealed class BridgedUpDownCounter(Instrument instrument, MeterBridge bridge) : BridgedInstrument<Gauge>(instrument, bridge)
{
    protected override MetricType Type => MetricType.Gauge;

    // Hot path: one compare-exchange loop once the series exists; must never allocate, lock or throw.
    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // One NaN or infinity would stay in the sum for good.
        if (!double.IsFinite(value))
        {
            Bridge.Drops.InvalidValue.Inc();
            return;
        }

        Resolve(tags)?.Inc(value);
    }

    protected override MetricFamily<Gauge> Register(string name, string help, string[] labelNames, FamilyOptions options) =>
        Bridge.Registry.CreateGaugeFamily(name, help, labelNames, options);
}
