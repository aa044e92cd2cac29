using System.Diagnostics.CodeAnalysis;

namespace Metrics;

/// <summary>
/// A monotonically increasing floating-point total, such as seconds spent or bytes as a double.
/// Exposed as <c>name_total</c>.
/// </summary>
public sealed class DoubleCounter : MetricSeries
{
    private readonly ExemplarStore? _activityExemplars;
    private long _bits;

    internal DoubleCounter(MetricFamily family, string[] labelValues)
        : base(family, labelValues)
    {
        _activityExemplars = family.EnableExemplars ? ExemplarSlots(1) : null;
    }

    /// <summary>The current total.</summary>
    public double Value => AtomicDouble.Read(ref _bits);

    internal static SeriesKind Kind { get; } = new("a double counter", MetricType.Counter);

    /// <summary>Adds one.</summary>
    // Hot path: a compare-exchange loop, plus a branch each for expiry and exemplars while they are off; must never
    // allocate, lock or block.
    public void Inc()
    {
        AtomicDouble.Add(ref _bits, 1.0);
        MarkUpdated();
        _activityExemplars?.RecordActivity(0, 1.0);
    }

    /// <summary>Adds <paramref name="increment"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="increment"/> is negative, NaN or infinite.</exception>
    // Hot path: a compare-exchange loop, plus a branch each for expiry and exemplars while they are off; must never
    // allocate, lock or block.
    public void Inc(double increment)
    {
        if (!double.IsFinite(increment) || increment < 0)
        {
            ThrowInvalid(increment);
        }

        AtomicDouble.Add(ref _bits, increment);
        MarkUpdated();
        _activityExemplars?.RecordActivity(0, increment);
    }

    /// <summary>
    /// Adds <paramref name="increment"/> and records <paramref name="exemplar"/> as the counter's exemplar, whether
    /// or not the family enables exemplars; an empty exemplar makes this <see cref="Inc(double)"/>. The exemplar's
    /// value is the increment; OpenMetrics output shows the latest one.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="increment"/> is negative, NaN or infinite.</exception>
    // Hot path: allocates nothing; the exemplar's labels were validated when it was built.
    public void Inc(double increment, in Exemplar exemplar)
    {
        if (exemplar.IsEmpty)
        {
            Inc(increment);
            return;
        }

        if (!double.IsFinite(increment) || increment < 0)
        {
            ThrowInvalid(increment);
        }

        AtomicDouble.Add(ref _bits, increment);
        MarkUpdated();
        // The explicit exemplar replaces the Activity's, so the Activity's is never taken.
        ExemplarSlots(1).Record(0, exemplar, increment);
    }

    /// <summary>
    /// Sets the total to <paramref name="total"/>, a finite, non-negative total kept elsewhere, such as the value an
    /// observable counter reports; a total lower than the last is a counter reset to Prometheus.
    /// </summary>
    // Hot path: one store; must never allocate, lock or block.
    internal void SetTotal(double total)
    {
        AtomicDouble.Write(ref _bits, total);
        MarkUpdated();
    }

    internal override void Read<TReader>(ref TReader reader) => reader.Counter(this, Value);

    [DoesNotReturn]
    private static void ThrowInvalid(double increment) =>
        throw new ArgumentOutOfRangeException(nameof(increment), increment, "A counter increment must be finite and not negative.");
}
