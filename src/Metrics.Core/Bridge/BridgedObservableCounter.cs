using System.Diagnostics.Metrics;

namespace Metrics.Bridge;

/// <summary>
/// An <see cref="ObservableCounter{T}"/>, bridged into a counter: its callback reports the total so far at each
/// collection, and the series takes that total.
/// </summary>
internal sealed class BridgedObservableCounter(Instrument instrument, MeterBridge bridge) : BridgedInstrument<DoubleCounter>(instrument, bridge)
{
    protected override MetricType Type => MetricType.Counter;

    // Runs during collection, once per observation; must never throw.
    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            Bridge.Drops.InvalidValue.Inc();
            return;
        }

        Resolve(tags)?.SetTotal(value);
    }

    protected override MetricFamily<DoubleCounter> Register(string name, string help, string[] labelNames, FamilyOptions options) =>
        Bridge.Registry.CreateDoubleCounterFamily(name, help, labelNames, options);
}
