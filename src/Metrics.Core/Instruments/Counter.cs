using System.Diagnostics.CodeAnalysis;

namespace Metrics;

/// <summary>
/// A monotonically increasing integer count, such as requests served or bytes sent.
/// Exposed as <c>name_total</c>.
/// </summary>
public sealed class Counter : MetricSeries
{
    private long _value;

    internal Counter(MetricFamily family, string[] labelValues)
        : base(family, labelValues)
    {
    }

    /// <summary>The current total.</summary>
    public long Value => Volatile.Read(ref _value);

    /// <summary>Adds one.</summary>
    // Hot path: one interlocked instruction; must never allocate, lock or block.
    public void Inc()
    {
        Interlocked.Increment(ref _value);
        MarkUpdated();
    }

    /// <summary>Adds <paramref name="increment"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="increment"/> is negative: counters only go up.</exception>
    // Hot path: one interlocked instruction; must never allocate, lock or block.
    public void Inc(long increment)
    {
        if (increment < 0)
        {
            ThrowNegative(increment);
        }

        Interlocked.Add(ref _value, increment);
        MarkUpdated();
    }

    [DoesNotReturn]
    private static void ThrowNegative(long increment) =>
        throw new ArgumentOutOfRangeException(nameof(increment), increment, "A counter increment must not be negative; use a gauge for values that go down.");
}
