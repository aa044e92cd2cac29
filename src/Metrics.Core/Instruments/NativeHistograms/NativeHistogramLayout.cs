using System.Numerics;
using System.Runtime.CompilerServices;

namespace Metrics;

/// <summary>
/// One generation of a native histogram: a schema, a zero threshold, a bucket directory, and the counts, striped by
/// processor, each stripe holding two count sets that swap between hot (written by observations) and cold (read by
/// a scrape). A change of schema, zero threshold or capacity builds the next generation and moves the counts over.
/// </summary>
/// <remarks>
/// <para>
/// Cells (longs) of one stripe: a control word, then two sets of <c>[zero count, sum bits, bucket slots…]</c>.
/// Stripes are padded apart by a cache line, so writers on different processors never share one. The control word
/// holds the hot set's index in bit 63, a sealed flag in bit 62 (set once the generation is replaced), and in the
/// bits below, how many observations have started on this stripe, which is also how many have finished once the
/// writers are done: the stripe's count.
/// </para>
/// <para>
/// An observation makes three interlocked writes to its stripe: it increments the control word, which both counts
/// it and tells it which set is hot; it adds to that set's sum; and last it increments its bucket (or the zero
/// bucket). Because the bucket increment comes last, a set's zero count plus its bucket counts is the number of
/// observations that have finished on it.
/// </para>
/// </remarks>
internal sealed class NativeHistogramLayout
{
    /// <summary>The cell of the zero bucket within a count set.</summary>
    public const int ZeroCell = 0;

    /// <summary>The cell index that means "no bucket for this value yet".</summary>
    public const int MissingCell = -1;

    private const int SumCell = 1;
    private const int FirstBucketCell = 2;
    private const int LongsPerCacheLine = 8;
    private const int MaxStripes = 16;
    private const long HotBit = long.MinValue;
    private const long SealedBit = 1L << 62;
    private const long StartedMask = SealedBit - 1;

    private static readonly int StripeCount = Math.Min(MaxStripes, (int)BitOperations.RoundUpToPowerOf2((uint)Environment.ProcessorCount));

    private readonly long[] _cells;
    private readonly int _setStride;
    private readonly int _stripeStride;

    public NativeHistogramLayout(int schema, double zeroThreshold, int capacity)
    {
        Schema = schema;
        ZeroThreshold = zeroThreshold;
        Directory = new NativeBucketDirectory(capacity);
        _setStride = FirstBucketCell + capacity;
        _stripeStride = RoundUpToCacheLine(1 + (2 * _setStride)) + LongsPerCacheLine;
        _cells = new long[LongsPerCacheLine + (StripeCount * _stripeStride)];
    }

    /// <summary>How many processor stripes each generation has: the same as the classic histogram's.</summary>
    public static int Stripes => StripeCount;

    public int Schema { get; }

    public double ZeroThreshold { get; }

    public NativeBucketDirectory Directory { get; }

    /// <summary>The memory this generation holds, in bytes, leaving out object headers.</summary>
    public long FootprintBytes => (_cells.Length * sizeof(long)) + Directory.FootprintBytes;

    /// <summary>The cells of one stripe's control word and two count sets, for a capacity of <paramref name="capacity"/> buckets.</summary>
    public static int StripeLongs(int capacity) => RoundUpToCacheLine(1 + (2 * (FirstBucketCell + capacity))) + LongsPerCacheLine;

    /// <summary>The memory a generation of <paramref name="capacity"/> buckets holds, in bytes, leaving out object headers.</summary>
    public static long FootprintFor(int capacity) =>
        ((LongsPerCacheLine + ((long)StripeCount * StripeLongs(capacity))) * sizeof(long))
        + (BitOperations.RoundUpToPowerOf2((uint)Math.Max(2, capacity * 2)) * sizeof(long))
        + (capacity * sizeof(int));

    /// <summary>
    /// The directory key of the bucket <paramref name="value"/> belongs in, or <see cref="int.MinValue"/> when it
    /// belongs in the zero bucket. Not for NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int KeyOf(double value)
    {
        if (value > ZeroThreshold)
        {
            return NativeBucketDirectory.Key(NativeHistogramSchema.BucketIndex(value, Schema), negative: false);
        }

        return value < -ZeroThreshold
            ? NativeBucketDirectory.Key(NativeHistogramSchema.BucketIndex(-value, Schema), negative: true)
            : int.MinValue;
    }

    /// <summary>The cell <paramref name="value"/> is counted in, or <see cref="MissingCell"/> when its bucket does not exist yet.</summary>
    // Hot path: the bucket arithmetic and a directory probe; never allocates or locks.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int CellOf(double value)
    {
        var key = KeyOf(value);
        if (key == int.MinValue)
        {
            return ZeroCell;
        }

        var slot = Directory.Find(key);
        return slot < 0 ? MissingCell : FirstBucketCell + slot;
    }

    /// <summary>
    /// Counts <paramref name="value"/> in <paramref name="cell"/> of this processor's hot set; false, having
    /// counted nothing, once the generation is sealed, when the caller must retry on the next one.
    /// </summary>
    // Hot path: three interlocked writes to this processor's stripe; must never allocate, lock or block.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryRecord(int cell, double value)
    {
        var stripe = LongsPerCacheLine + ((Thread.GetCurrentProcessorId() & (StripeCount - 1)) * _stripeStride);
        var control = Interlocked.Increment(ref _cells[stripe]);
        if ((control & SealedBit) != 0)
        {
            return false;
        }

        var set = stripe + 1 + ((int)((ulong)control >> 63) * _setStride);
        AtomicDouble.Add(ref _cells[set + SumCell], value);
        Interlocked.Increment(ref _cells[set + cell]);
        return true;
    }

    /// <summary>
    /// The scrape's read, under the owner's lock: for each stripe, swaps hot and cold, waits until every observation
    /// that started on the now-cold set has finished, adds that set's counts into <paramref name="slotTotals"/>
    /// (one per directory slot), <paramref name="zeroCount"/> and <paramref name="sum"/>, then folds it into the hot
    /// set and clears it. Returns the number of observations counted, which equals the zero count plus the slots.
    /// </summary>
    public long Collect(Span<long> slotTotals, ref long zeroCount, ref double sum)
    {
        var buckets = Directory.Count;
        long count = 0;
        for (var stripe = LongsPerCacheLine; stripe < _cells.Length; stripe += _stripeStride)
        {
            var control = Interlocked.Add(ref _cells[stripe], HotBit);
            var started = control & StartedMask;
            var hot = stripe + 1 + ((int)((ulong)control >> 63) * _setStride);
            var cold = stripe + 1 + ((int)((~(ulong)control) >> 63) * _setStride);
            WaitUntilFinished(cold, buckets, started);
            Accumulate(cold, buckets, slotTotals, ref zeroCount, ref sum);
            FoldInto(cold, hot, buckets);
            count += started;
        }

        return count;
    }

    /// <summary>
    /// Retires this generation, under the owner's lock, once the next one is published: seals every stripe so
    /// that later observations retry on the next generation, waits for the observations already started here, and
    /// adds all the counts into <paramref name="slotTotals"/>, <paramref name="zeroCount"/> and <paramref name="sum"/>.
    /// </summary>
    public void SealAndDrain(Span<long> slotTotals, ref long zeroCount, ref double sum)
    {
        var buckets = Directory.Count;
        for (var stripe = LongsPerCacheLine; stripe < _cells.Length; stripe += _stripeStride)
        {
            var control = Interlocked.Or(ref _cells[stripe], SealedBit);
            var hot = stripe + 1 + ((int)((ulong)control >> 63) * _setStride);
            var cold = stripe + 1 + ((int)((~(ulong)control) >> 63) * _setStride);
            WaitUntilFinished(hot, buckets, control & StartedMask);
            Accumulate(hot, buckets, slotTotals, ref zeroCount, ref sum);
            Accumulate(cold, buckets, slotTotals, ref zeroCount, ref sum);
        }
    }

    /// <summary>Seals every stripe without waiting: for a reset, which discards what the generation counted.</summary>
    public void Seal()
    {
        for (var stripe = LongsPerCacheLine; stripe < _cells.Length; stripe += _stripeStride)
        {
            Interlocked.Or(ref _cells[stripe], SealedBit);
        }
    }

    /// <summary>
    /// Adds counts carried over from the previous generation, under the owner's lock: <paramref name="count"/>
    /// observations into <paramref name="cell"/> of the first stripe's hot set, with the stripe's count raised to
    /// match, so that a later scrape's wait still ends. Call <see cref="AddCarriedSum"/> once for the sum.
    /// </summary>
    public void AddCarried(int cell, long count)
    {
        var stripe = LongsPerCacheLine;
        var control = Interlocked.Add(ref _cells[stripe], count);
        var hot = stripe + 1 + ((int)((ulong)control >> 63) * _setStride);
        Interlocked.Add(ref _cells[hot + cell], count);
    }

    /// <summary>Adds the sum carried over from the previous generation to the first stripe's hot set; under the owner's lock.</summary>
    public void AddCarriedSum(double sum)
    {
        var stripe = LongsPerCacheLine;
        var hot = stripe + 1 + ((int)((ulong)Volatile.Read(ref _cells[stripe]) >> 63) * _setStride);
        AtomicDouble.Add(ref _cells[hot + SumCell], sum);
    }

    /// <summary>The cell of directory slot <paramref name="slot"/>.</summary>
    public static int CellOfSlot(int slot) => FirstBucketCell + slot;

    private void WaitUntilFinished(int set, int buckets, long started)
    {
        var spinner = default(SpinWait);
        while (Finished(set, buckets) != started)
        {
            spinner.SpinOnce();
        }
    }

    private long Finished(int set, int buckets)
    {
        var finished = Volatile.Read(ref _cells[set + ZeroCell]);
        for (var slot = 0; slot < buckets; slot++)
        {
            finished += Volatile.Read(ref _cells[set + FirstBucketCell + slot]);
        }

        return finished;
    }

    private void Accumulate(int set, int buckets, Span<long> slotTotals, ref long zeroCount, ref double sum)
    {
        zeroCount += _cells[set + ZeroCell];
        sum += BitConverter.Int64BitsToDouble(_cells[set + SumCell]);
        for (var slot = 0; slot < buckets; slot++)
        {
            slotTotals[slot] += _cells[set + FirstBucketCell + slot];
        }
    }

    // The cold set is quiet: every writer that chose it has finished, and later ones choose the hot set. So it is
    // read and cleared with plain accesses, while the hot set, which writers share, takes interlocked additions.
    private void FoldInto(int cold, int hot, int buckets)
    {
        Interlocked.Add(ref _cells[hot + ZeroCell], _cells[cold + ZeroCell]);
        _cells[cold + ZeroCell] = 0;
        AtomicDouble.Add(ref _cells[hot + SumCell], BitConverter.Int64BitsToDouble(_cells[cold + SumCell]));
        _cells[cold + SumCell] = 0;
        for (var cell = hot + FirstBucketCell; cell < hot + FirstBucketCell + buckets; cell++)
        {
            var carried = _cells[cell - hot + cold];
            if (carried != 0)
            {
                Interlocked.Add(ref _cells[cell], carried);
                _cells[cell - hot + cold] = 0;
            }
        }
    }

    private static int RoundUpToCacheLine(int longs) => (longs + LongsPerCacheLine - 1) / LongsPerCacheLine * LongsPerCacheLine;
}
