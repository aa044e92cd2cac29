namespace Metrics;

/// <summary>
/// The latest exemplars of a native histogram, in a small ring: its exemplars are not tied to buckets (the
/// protobuf format carries them in one list beside the buckets), so the newest replaces the oldest.
/// </summary>
/// <remarks>
/// A slot is claimed with one interlocked increment; the slot itself is an <see cref="ExemplarStore"/> sequence
/// lock, so a writer that finds its slot busy skips its exemplar rather than wait, and a reader never sees half an
/// exemplar. Every exemplar carries the time it was recorded, which the protobuf format requires of native ones.
/// </remarks>
internal sealed class NativeExemplarRing
{
    private readonly ExemplarStore _slots;
    private readonly int _capacity;
    private long _next;

    public NativeExemplarRing(int capacity, TimeProvider time)
    {
        _capacity = capacity;
        _slots = new ExemplarStore(capacity, time);
    }

    /// <summary>How many exemplars the ring keeps.</summary>
    public int Capacity => _capacity;

    /// <summary>Records <paramref name="exemplar"/> with the observed <paramref name="value"/>, replacing the oldest.</summary>
    // Hot path when exemplars are given: one interlocked increment and the slot's compare-exchange; never waits.
    public void Record(in Exemplar exemplar, double value)
    {
        var slot = (int)((ulong)(Interlocked.Increment(ref _next) - 1) % (ulong)_capacity);
        _slots.Record(slot, exemplar, value);
    }

    /// <summary>Records the trace of the current sampled activity, if there is one.</summary>
    // Hot path when activity exemplars are on: without a sampled activity it costs one read.
    public void RecordActivity(double value)
    {
        if (ExemplarStore.TryCurrentActivity(out var exemplar))
        {
            Record(exemplar, value);
        }
    }

    /// <summary>Copies the exemplars held into <paramref name="target"/>, oldest first, and returns how many.</summary>
    public int CopyTo(Span<NativeHistogramExemplar> target)
    {
        var count = 0;
        for (var slot = 0; slot < _capacity && count < target.Length; slot++)
        {
            if (_slots.TryRead(slot, out var labels, out var value, out var timestamp))
            {
                target[count++] = new NativeHistogramExemplar(labels, value, timestamp);
            }
        }

        target[..count].Sort(static (a, b) => a.Timestamp.CompareTo(b.Timestamp));
        return count;
    }
}
