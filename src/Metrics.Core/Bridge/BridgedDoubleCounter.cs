using System.Diagnostics.Metrics;

namespace Metrics.Bridge;

/// <summary>
/// A floating-point counter fed by an instrument: a <see cref="Counter{T}"/> of <see cref="float"/>,
/// <see cref="double"/> or <see cref="decimal"/>, whose increments it adds up, or an <see cref="ObservableCounter{T}"/>
/// of any type, whose callback reports the total so far at each collection and which it sets to that total.
/// </summary>
internal sealed class BridgedDoubleCounter(Instrument instrument, MeterBridge bridge, bool reportsTotals)
    : BridgedInstrument<DoubleCounter>(instrument, bridge)
{
    protected override MetricType Type => MetricType.Counter;

    // Hot path: one compare-exchange loop (or one store, for totals) once the series exists; must never allocate,
    // lock or throw.
    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            Bridge.Drops.InvalidValue.Inc();
            return;
        }

        var series = Resolve(tags);
        if (reportsTotals)
        {
            series?.SetTotal(value);
        }
        else
        {
            series?.Inc(value);
        }
    }

    protected override MetricFamily<DoubleCounter> Register(string name, string help, string[] labelNames, FamilyOptions options) =>
        Bridge.Registry.CreateDoubleCounterFamily(name, help, labelNames, options);
}
