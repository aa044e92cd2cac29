using System.Diagnostics.Metrics;

namespace Metrics.Bridge;

/// <summary>
/// A <see cref="Histogram{T}"/>, bridged into a histogram whose buckets are the instrument's advice when it gives some,
/// and otherwise the bridge's option buckets.
/// </summary>
internal sealed class BridgedHistogram(Instrument instrument, MeterBridge bridge, IReadOnlyList<double> buckets)
    : BridgedInstrument<Histogram>(instrument, bridge)
{
    protected override MetricType Type => MetricType.Histogram;

    // Hot path: two interlocked operations on this processor's stripe once the series exists; must never allocate,
    // lock or throw. A NaN observation is ignored by the histogram itself.
    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => Resolve(tags)?.Observe(value);

    protected override MetricFamily<Histogram> Register(string name, string help, string[] labelNames, FamilyOptions options) =>
        Bridge.Registry.CreateHistogramFamily(name, help, labelNames, buckets, options);
}
