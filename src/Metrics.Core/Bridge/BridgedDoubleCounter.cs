using System.Diagnostics.Metrics;

namespace Metrics.Bridge;

/// <summary>
/// A <see cref="Counter{T}"/> of <see cref="float"/>, <see cref="double"/> or <see cref="decimal"/>, bridged into a
/// floating-point counter that adds up its increments.
/// </summary>
internal sealed class BridgedDoubleCounter(Instrument instrument, MeterBridge bridge) : BridgedInstrument<DoubleCounter>(instrument, bridge)
{
    protected override MetricType Type => MetricType.Counter;

    // Hot path: one compare-exchange loop once the series exists; must never allocate, lock or throw.
    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            Bridge.Drops.InvalidValue.Inc();
            return;
        }

        Resolve(tags)?.Inc(value);
    }

    protected override MetricFamily<DoubleCounter> Register(string name, string help, string[] labelNames, FamilyOptions options) =>
        Bridge.Registry.CreateDoubleCounterFamily(name, help, labelNames, options);
}
