using System.Runtime.CompilerServices;

namespace Metrics;

/// <summary>
/// The engine of one native histogram series: sparse exponential buckets (Prometheus native histograms), a zero
/// bucket, a bucket limit kept by the reduction strategy of <see cref="NativeHistogramOptions"/>, the latest
/// exemplars, and self-consistent snapshots under any number of concurrent writers.
/// </summary>
/// <remarks>
/// <para>
/// <b>Writing.</b> <see cref="Observe(double)"/> finds the value's bucket from the bits of the double (see
/// <see cref="NativeBucketIndexer"/>), looks its slot up in the current generation's
/// <see cref="NativeBucketDirectory"/>, and counts it in this processor's stripe (see
/// <see cref="NativeHistogramLayout"/>): one compare-exchange to own the stripe, plain stores, and a plain store to
/// give it back. That path takes no lock and allocates nothing. Only an observation whose bucket does not exist yet
/// takes the lock, to add the bucket or, at the limit, to reduce; either may build a new generation, and then the
/// observation counts there.
/// </para>
/// <para>
/// <b>Why every snapshot is consistent</b> (count = zero count + Σ buckets, and the sum is the sum of exactly the
/// observations counted). Per stripe, the control word says which of two count sets is hot and whether an
/// observation owns the stripe. An owner takes the stripe with a compare-exchange from a word that is not owned,
/// adds to the hot set's sum and bucket in its owner area, and stores back the word it took; as every other change to the word is a
/// compare-exchange from a word that is not owned, nothing changes the word meanwhile, so the hot set stays hot for
/// the whole of its writes. A scrape, under the lock, flips the hot bit with such a compare-exchange, so every owner
/// that wrote the now-cold set had given the stripe back before the flip: its two writes are complete, and the
/// store that gave the stripe back and the scrape's compare-exchange (the .NET memory model orders both on the one
/// word) publish them to the scrape. Observations that find the stripe owned (only when an owner was preempted)
/// announce themselves in an overflow writer count with an interlocked add and then read the control word again,
/// going on only if their set is still hot; the scrape flips first and then reads that count, and both sides are
/// full fences, so either the observation sees the flip and retries on the hot set, or the scrape sees it and waits
/// until it has finished. After the flip and that wait, nothing writes the cold set, and its zero count, buckets and
/// sum describe exactly the same observations. The scrape reads them, adds them into the hot set's overflow area
/// (with interlocked adds, as overflow writers share it) and clears the cold set, so that the next flip again finds
/// the whole history in the set going cold. A snapshot adds the stripes up, and a sum of consistent parts is
/// consistent. The count is the zero count plus every bucket's, as the classic histogram derives its count, so an
/// observation writes one count and the sum; what the tests check in every snapshot is that the sum belongs to exactly
/// the observations counted. Generation changes keep all this: the new generation is published first, then each old stripe is
/// sealed (the same compare-exchange, setting the sealed bit); observations that see the seal retry on the new
/// generation, and the others are waited for before their counts move.
/// </para>
/// <para>
/// <b>Memory.</b> The current generation holds at most
/// <c>8 × (8 + S × (round8(4M + 10) + 8)) + 12 × pow2(2M) + 4M</c> bytes, where <c>M</c> is
/// <see cref="NativeHistogramOptions.MaxBucketCount"/>, <c>S</c> is the stripe count (the classic histogram's:
/// <c>min(16, pow2(processors))</c>), <c>round8</c> rounds up to a multiple of 8 and <c>pow2</c> up to a power of
/// two. A generation starts with room for 8 buckets and doubles up to <c>M</c>, so a histogram pays for the buckets
/// it has seen. While a generation is being replaced, under the lock, the old one lives too. The exemplar ring adds
/// <see cref="NativeHistogramOptions.MaxExemplars"/> slots of 64 bytes. For <c>M</c> = 160 and 2 processors the
/// bound is 17,472 bytes.
/// </para>
/// </remarks>
internal sealed class NativeHistogramState
{
    private const int InitialCapacity = 8;

    private readonly object _gate = new();
    private readonly int _initialSchema;
    private readonly double _initialZeroThreshold;
    private readonly int _maxBuckets;
    private readonly TimeSpan _minResetDuration;
    private readonly double _maxZeroThreshold;
    private readonly TimeProvider _time;
    private readonly NativeExemplarRing? _exemplars;
    private readonly bool _recordActivityExemplars;
    private NativeHistogramLayout _layout;
    private long _lastResetTimestamp;
    private double _createdSeconds;

    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public NativeHistogramState(NativeHistogramOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        options.Validate();
        _initialSchema = options.Schema;
        _initialZeroThreshold = options.ZeroThreshold;
        _maxBuckets = options.MaxBucketCount;
        _minResetDuration = options.MinResetDuration;
        _maxZeroThreshold = options.MaxZeroThreshold;
        _time = time;
        _exemplars = options.MaxExemplars > 0 ? new NativeExemplarRing(options.MaxExemplars, time) : null;
        _recordActivityExemplars = options.RecordActivityExemplars && _exemplars is not null;
        _layout = new NativeHistogramLayout(_initialSchema, _initialZeroThreshold, Math.Min(InitialCapacity, _maxBuckets));
        _lastResetTimestamp = time.GetTimestamp();
        _createdSeconds = UnixTime.Seconds(time);
    }

    /// <summary>The current schema; it falls when the reduction strategy halves the resolution.</summary>
    public int Schema => Volatile.Read(ref _layout).Schema;

    /// <summary>The current zero threshold; it rises when the reduction strategy widens the zero bucket.</summary>
    public double ZeroThreshold => Volatile.Read(ref _layout).ZeroThreshold;

    /// <summary>How many buckets exist now, positive and negative; never more than the limit.</summary>
    public int BucketCount => Volatile.Read(ref _layout).Directory.Count;

    /// <summary>When the histogram was created or last reset by the reduction strategy, in Unix seconds: its <c>_created</c>.</summary>
    public double CreatedSeconds
    {
        get
        {
            lock (_gate)
            {
                return _createdSeconds;
            }
        }
    }

    /// <summary>The memory the current generation holds, in bytes, leaving out object headers (see the memory bound above).</summary>
    public long FootprintBytes => Volatile.Read(ref _layout).FootprintBytes;

    /// <summary>The memory bound of the remarks above for <paramref name="maxBuckets"/>, in bytes.</summary>
    public static long FootprintBound(int maxBuckets) => NativeHistogramLayout.FootprintFor(maxBuckets);

    /// <summary>Records one observation; NaN is ignored, as it has no bucket and would make the sum NaN for good.</summary>
    // Hot path: lock-free, allocation-free once the value's bucket exists.
    public void Observe(double value)
    {
        if (double.IsNaN(value))
        {
            return;
        }

        Record(value);
        if (_recordActivityExemplars)
        {
            _exemplars!.RecordActivity(value);
        }
    }

    /// <summary>
    /// Records one observation and <paramref name="exemplar"/> with it, replacing the oldest kept exemplar; an
    /// empty exemplar makes this <see cref="Observe(double)"/>. Does nothing for NaN.
    /// </summary>
    // Hot path: as Observe, plus the exemplar ring's interlocked slot claim.
    public void Observe(double value, in Exemplar exemplar)
    {
        if (double.IsNaN(value))
        {
            return;
        }

        Record(value);
        if (!exemplar.IsEmpty)
        {
            _exemplars?.Record(exemplar, value);
        }
        else if (_recordActivityExemplars)
        {
            _exemplars!.RecordActivity(value);
        }
    }

    /// <summary>
    /// Reads the histogram into <paramref name="snapshot"/>, reusing its buffers. Writers go on meanwhile; they
    /// never wait for a capture, though a capture may wait for a writer that is in the middle of an observation.
    /// </summary>
    public void CaptureInto(NativeHistogramSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_gate)
        {
            var layout = _layout;
            var directory = layout.Directory;
            var totals = snapshot.BeginCapture(layout.Schema, layout.ZeroThreshold, _createdSeconds, directory.Count);
            long zeroCount = 0;
            var sum = 0.0;
            layout.Collect(totals, ref zeroCount, ref sum);
            snapshot.CompleteCapture(zeroCount, sum, directory);
        }

        if (_exemplars is not null)
        {
            snapshot.SetExemplarCount(_exemplars.CopyTo(snapshot.ExemplarBuffer(_exemplars.Capacity)));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Record(double value)
    {
        while (true)
        {
            var layout = Volatile.Read(ref _layout);
            var cell = layout.CellOf(value);
            if (cell == NativeHistogramLayout.MissingCell)
            {
                MakeRoomFor(value);
            }
            else if (layout.TryRecord(cell, value))
            {
                return;
            }
        }
    }

    /// <summary>
    /// The slow path of an observation whose bucket does not exist: under the lock, adds the bucket if there is
    /// room, grows the generation if only its capacity is short, or reduces at the limit. The caller then retries.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void MakeRoomFor(double value)
    {
        lock (_gate)
        {
            var layout = _layout;
            var key = layout.KeyOf(value);
            var directory = layout.Directory;
            if (key == int.MinValue || directory.Find(key) >= 0)
            {
                return;
            }

            if (directory.Count < directory.Capacity)
            {
                directory.Add(key);
            }
            else if (directory.Count < _maxBuckets)
            {
                Replace(layout, layout.Schema, layout.ZeroThreshold, Math.Min(_maxBuckets, directory.Capacity * 2));
            }
            else if (_minResetDuration > TimeSpan.Zero && _time.GetElapsedTime(_lastResetTimestamp) >= _minResetDuration)
            {
                Reset(layout);
            }
            else
            {
                Reduce(layout, key);
            }
        }
    }

    private void Reduce(NativeHistogramLayout layout, int newKey)
    {
        var directory = layout.Directory;
        var keys = new int[directory.Count + 1];
        for (var slot = 0; slot < directory.Count; slot++)
        {
            keys[slot] = directory.KeyAt(slot);
        }

        keys[^1] = newKey;
        var (schema, zeroThreshold) = NativeBucketReduction.Plan(layout.Schema, layout.ZeroThreshold, keys, _maxBuckets, _maxZeroThreshold);
        Replace(layout, schema, zeroThreshold, directory.Capacity);
    }

    /// <summary>
    /// Publishes a generation of the given schema, zero threshold and capacity, then retires
    /// <paramref name="old"/> and moves its counts over: a bucket whose upper bound is within the new zero threshold
    /// goes to the zero bucket, any other to the bucket that contains it at the new schema.
    /// </summary>
    private void Replace(NativeHistogramLayout old, int schema, double zeroThreshold, int capacity)
    {
        var next = new NativeHistogramLayout(schema, zeroThreshold, capacity);
        var oldDirectory = old.Directory;
        var keys = new int[oldDirectory.Count];
        int lowest = int.MaxValue, highest = int.MinValue;
        for (var slot = 0; slot < keys.Length; slot++)
        {
            var key = oldDirectory.KeyAt(slot);
            var index = NativeBucketDirectory.IndexOf(key);
            keys[slot] = NativeHistogramSchema.UpperBound(index, old.Schema) <= zeroThreshold
                ? int.MinValue
                : NativeBucketDirectory.Key(NativeHistogramSchema.CoarserIndex(index, old.Schema, schema), NativeBucketDirectory.IsNegative(key));
            if (keys[slot] != int.MinValue)
            {
                (lowest, highest) = (Math.Min(lowest, keys[slot]), Math.Max(highest, keys[slot]));
            }
        }

        if (lowest <= highest)
        {
            next.Directory.CenterWindowOn(lowest + ((highest - lowest) / 2));
        }

        var cells = new int[keys.Length];
        for (var slot = 0; slot < cells.Length; slot++)
        {
            cells[slot] = keys[slot] == int.MinValue
                ? NativeHistogramLayout.ZeroCell
                : NativeHistogramLayout.CellOfSlot(next.Directory.FindOrAdd(keys[slot]));
        }

        Volatile.Write(ref _layout, next);
        var totals = new long[cells.Length];
        long zeroCount = 0;
        var sum = 0.0;
        old.SealAndDrain(totals, ref zeroCount, ref sum);
        next.AddCarried(NativeHistogramLayout.ZeroCell, zeroCount);
        for (var slot = 0; slot < cells.Length; slot++)
        {
            next.AddCarried(cells[slot], totals[slot]);
        }

        next.AddCarriedSum(sum);
    }

    private void Reset(NativeHistogramLayout old)
    {
        Volatile.Write(ref _layout, new NativeHistogramLayout(_initialSchema, _initialZeroThreshold, Math.Min(InitialCapacity, _maxBuckets)));
        old.Seal();
        _lastResetTimestamp = _time.GetTimestamp();
        _createdSeconds = UnixTime.Seconds(_time);
    }
}
