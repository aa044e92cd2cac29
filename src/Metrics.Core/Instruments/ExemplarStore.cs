using System.Diagnostics;

namespace Metrics;

/// <summary>
/// The latest exemplar of each slot of a series: one slot for a counter, one per bucket for a histogram, so a
/// bucket never carries more than one exemplar and its value always lies inside that bucket.
/// </summary>
/// <remarks>
/// Each slot is a sequence lock. A writer claims the slot with one compare-exchange and, if another writer holds
/// it, skips its exemplar rather than wait: exemplars are samples, and the measurement must not block. A reader
/// copies the slot and retries if a writer changed it meanwhile. Recording copies string references and numbers
/// into preallocated slots, so it allocates nothing.
/// </remarks>
internal sealed class ExemplarStore
{
    private const int ReadAttempts = 16;

    private readonly Slot[] _slots;
    private readonly TimeProvider _time;

    public ExemplarStore(int slotCount, TimeProvider time)
    {
        _slots = new Slot[slotCount];
        _time = time;
    }

    /// <summary>Records the trace of <see cref="Activity.Current"/>, if there is one that was sampled, with <paramref name="value"/>.</summary>
    // Hot path when exemplars are on: must never allocate, lock or block. Without an activity it costs one read.
    public void RecordActivity(int slot, double value)
    {
        if (TryCurrentActivity(out var exemplar))
        {
            Record(slot, exemplar, value);
        }
    }

    /// <summary>The trace exemplar of <see cref="Activity.Current"/>; false when there is no activity, or one that was not sampled.</summary>
    // Hot path when exemplars are on: allocates nothing, as the ids are the activity's own strings.
    public static bool TryCurrentActivity(out Exemplar exemplar)
    {
        var activity = Activity.Current;
        // Only a sampled W3C activity has ids a tracing backend kept; an exemplar of any other would link nowhere.
        if (activity is null || !activity.Recorded || activity.IdFormat != ActivityIdFormat.W3C)
        {
            exemplar = default;
            return false;
        }

        exemplar = Exemplar.ForActivityIds(activity.TraceId.ToHexString(), activity.SpanId.ToHexString());
        return true;
    }

    // Hot path when exemplars are on: one compare-exchange, a clock read and plain stores; never waits.
    public void Record(int slot, in Exemplar exemplar, double value)
    {
        ref var target = ref _slots[slot];
        var version = Volatile.Read(ref target.Version);
        if ((version & 1) != 0 || Interlocked.CompareExchange(ref target.Version, version + 1, version) != version)
        {
            return;
        }

        target.Labels = exemplar;
        target.Value = value;
        target.Timestamp = UnixTime.Seconds(_time);
        Volatile.Write(ref target.Version, version + 2);
    }

    /// <summary>The latest exemplar of <paramref name="slot"/>; false when none was recorded, or writers kept it busy.</summary>
    public bool TryRead(int slot, out Exemplar labels, out double value, out double timestamp)
    {
        ref var source = ref _slots[slot];
        var spinner = default(SpinWait);
        for (var attempt = 0; attempt < ReadAttempts; attempt++)
        {
            var before = Volatile.Read(ref source.Version);
            if (before == 0)
            {
                break;
            }

            if ((before & 1) == 0)
            {
                labels = source.Labels;
                value = source.Value;
                timestamp = source.Timestamp;
                // The copies above must complete before the version is read again.
                Interlocked.MemoryBarrier();
                if (Volatile.Read(ref source.Version) == before)
                {
                    return true;
                }
            }

            spinner.SpinOnce(sleep1Threshold: -1);
        }

        labels = default;
        value = 0;
        timestamp = 0;
        return false;
    }

    private struct Slot
    {
        // Even while the slot is stable, odd while a writer fills it; zero until the first exemplar.
        public long Version;
        public Exemplar Labels;
        public double Value;
        public double Timestamp;
    }
}
