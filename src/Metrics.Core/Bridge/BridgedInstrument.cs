using System.Diagnostics.Metrics;

namespace Metrics.Bridge;

/// <summary>
/// The bridge's state for one instrument, passed to the <see cref="MeterListener"/> as the instrument's state so that
/// a measurement reaches its family without a lookup. Integer measurements arrive through
/// <see cref="Record(long, ReadOnlySpan{KeyValuePair{string, object}})"/>, floating-point and decimal ones through
/// <see cref="Record(double, ReadOnlySpan{KeyValuePair{string, object}})"/>.
/// </summary>
internal abstract class BridgedInstrument(Instrument instrument, MeterBridge bridge)
{
    public Instrument Instrument { get; } = instrument;

    protected MeterBridge Bridge { get; } = bridge;

    /// <summary>Records an integer measurement; by default as a double, exact up to 2^53.</summary>
    // Hot path: must never allocate, lock or throw.
    public virtual void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => Record((double)value, tags);

    /// <summary>Records a floating-point measurement.</summary>
    // Hot path: must never allocate, lock or throw.
    public abstract void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags);

    /// <summary>The instrument was disabled or its meter disposed: removes its family, and ignores later measurements.</summary>
    public abstract void Complete();
}
