using System.Diagnostics.CodeAnalysis;

namespace Metrics;

/// <summary>
/// A monotonically increasing floating-point total, such as seconds spent or bytes as a double.
/// Exposed as <c>name_total</c>.
/// </summary>
public sealed class DoubleCounter : MetricSeries
{
    private long _bits;

    internal DoubleCounter(MetricFamily family, string[] labelValues)
        : base(family, labelValues)
    {
    }

    /// <summary>The current total.</summary>
    public double Value => AtomicDouble.Read(ref _bits);

    /// <summary>Adds one.</summary>
    // Hot path: a compare-exchange loop; must never allocate, lock or block.
    public void Inc()
    {
        AtomicDouble.Add(ref _bits, 1.0);
        MarkUpdated();
    }

    /// <summary>Adds <paramref name="increment"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="increment"/> is negative, NaN or infinite.</exception>
    // Hot path: a compare-exchange loop; must never allocate, lock or block.
    public void Inc(double increment)
    {
        if (!double.IsFinite(increment) || increment < 0)
        {
            ThrowInvalid(increment);
        }

        AtomicDouble.Add(ref _bits, increment);
        MarkUpdated();
    }

    [DoesNotReturn]
    private static void ThrowInvalid(double increment) =>
        throw new ArgumentOutOfRangeException(nameof(increment), increment, "A counter increment must be finite and not negative.");
}
