using System.Diagnostics.CodeAnalysis;

namespace Metrics;

/// <summary>
/// A monotonically increasing integer count, such as requests served or bytes sent.
/// Exposed as <c>name_total</c>.
/// </summary>
public sealed class Counter : MetricSeries
{
    private readonly ExemplarStore? _activityExemplars;
    private long _value;

    internal Counter(MetricFamily family, string[] labelValues)
        : base(family, labelValues)
    {
        _activityExemplars = family.EnableExemplars ? ExemplarSlots(1) : null;
    }

    /// <summary>The current total.</summary>
    public long Value => Volatile.Read(ref _value);

    internal static SeriesKind Kind { get; } = new("an integer counter", MetricType.Counter);

    /// <summary>Adds one.</summary>
    // Hot path: one interlocked instruction, plus a branch each for expiry and exemplars while they are off; must never
    // allocate, lock or block.
    public void Inc()
    {
        Interlocked.Increment(ref _value);
        MarkUpdated();
        _activityExemplars?.RecordActivity(0, 1);
    }

    /// <summary>Adds <paramref name="increment"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="increment"/> is negative: counters only go up.</exception>
    // Hot path: one interlocked instruction, plus a branch each for expiry and exemplars while they are off; must never
    // allocate, lock or block.
    public void Inc(long increment)
    {
        if (increment < 0)
        {
            ThrowNegative(increment);
        }

        Interlocked.Add(ref _value, increment);
        MarkUpdated();
        _activityExemplars?.RecordActivity(0, increment);
    }

    /// <summary>
    /// Adds <paramref name="increment"/> and records <paramref name="exemplar"/> as the counter's exemplar, whether
    /// or not the family enables exemplars; an empty exemplar makes this <see cref="Inc(long)"/>. The exemplar's
    /// value is the increment; OpenMetrics output shows the latest one.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="increment"/> is negative: counters only go up.</exception>
    // Hot path: allocates nothing; the exemplar's labels were validated when it was built.
    public void Inc(long increment, in Exemplar exemplar)
    {
        if (exemplar.IsEmpty)
        {
            Inc(increment);
            return;
        }

        if (increment < 0)
        {
            ThrowNegative(increment);
        }

        Interlocked.Add(ref _value, increment);
        MarkUpdated();
        // The explicit exemplar replaces the Activity's, so the Activity's is never taken.
        ExemplarSlots(1).Record(0, exemplar, increment);
    }

    internal override void Read<TReader>(ref TReader reader) => reader.Counter(this, Value);

    [DoesNotReturn]
    private static void ThrowNegative(long increment) =>
        throw new ArgumentOutOfRangeException(nameof(increment), increment, "A counter increment must not be negative; use a gauge for values that go down.");
}
