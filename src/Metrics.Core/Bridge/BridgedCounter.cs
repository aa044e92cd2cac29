using System.Diagnostics.Metrics;

namespace Metrics.Bridge;

/// <summary>A <see cref="Counter{T}"/> of an integer type, bridged into an integer counter that adds up its increments.</summary>
internal sealed class BridgedCounter(Instrument instrument, MeterBridge bridge) : BridgedInstrument<Counter>(instrument, bridge)
{
    protected override MetricType Type => MetricType.Counter;

    // Hot path: one interlocked add once the series exists; must never allocate, lock or throw.
    public override void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (value < 0)
        {
            Bridge.Drops.InvalidValue.Inc();
            return;
        }

        Resolve(tags)?.Inc(value);
    }

    // Integer counters only ever send integer measurements; this keeps the contract whole for a conversion.
    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (!double.IsFinite(value))
        {
            Bridge.Drops.InvalidValue.Inc();
            return;
        }

        Record((long)value, tags);
    }

    protected override MetricFamily<Counter> Register(string name, string help, string[] labelNames, FamilyOptions options) =>
        Bridge.Registry.CreateCounterFamily(name, help, labelNames, options);
}
