using System.Diagnostics.Metrics;

namespace Metrics.Bridge;

/// <summary>
/// A <see cref="Histogram{T}"/>, bridged into a native histogram with the bridge's
/// <see cref="MeterBridgeOptions.NativeHistograms"/> settings: no bucket advice or bucket option is needed.
/// </summary>
internal sealed class BridgedNativeHistogram(Instrument instrument, MeterBridge bridge, NativeHistogramOptions native)
    : BridgedInstrument<NativeHistogram>(instrument, bridge)
{
    protected override MetricType Type => MetricType.Histogram;

    // Hot path: lock-free and allocation-free once the series and the value's bucket exist; must never throw. A NaN
    // observation is ignored by the histogram itself.
    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => Resolve(tags)?.Observe(value);

    protected override MetricFamily<NativeHistogram> Register(string name, string help, string[] labelNames, FamilyOptions options) =>
        Bridge.Registry.CreateNativeHistogramFamily(name, help, labelNames, native, options);
}
