using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Metrics;

/// <summary>
/// One generation of a native histogram: a schema, a zero threshold, a bucket directory, and the counts, striped by
/// processor, each stripe holding two count sets that swap between hot (written by observations) and cold (read by
/// a scrape). A change of schema, zero threshold or capacity builds the next generation and moves the counts over.
/// </summary>
/// <remarks>
/// <para>
/// Cells (longs) of one stripe: a control word, an overflow writer count, then two count sets, each of two areas of
/// <c>[zero count, sum bits, bucket slots…]</c>: the owner's, written with plain stores, and the overflow, written
/// with interlocked ones. Stripes are padded apart by a cache line, so writers on different processors never share
/// one. The control word holds the hot set's index in bit 63, a sealed flag in bit 62 (set once the generation is
/// replaced) and an owned flag in bit 61; the overflow writer count holds, in two 31-bit fields, how many
/// observations are writing each set's overflow area right now.
/// </para>
/// <para>
/// An observation takes the stripe with one compare-exchange of the control word from "not owned" to "owned",
/// which also tells it which set is hot; it then adds to that set's sum and bucket in the owner area with plain
/// stores, and gives the stripe back with a plain (releasing) store of the word it replaced. Nobody else changes the
/// word while it is owned: scrapes and generation changes wait for the owner to give it back (a few nanoseconds)
/// before they compare-exchange it. So an observation costs one interlocked operation, fewer than the classic
/// histogram's two. An observation that finds the stripe owned (another thread on this processor was preempted in
/// the middle of one) announces itself in the overflow writer count with an interlocked add, checks the control word
/// again, and writes the overflow area with interlocked operations.
/// </para>
/// </remarks>
internal sealed class NativeHistogramLayout
{
    /// <summary>The cell of the zero bucket within a count area.</summary>
    public const int ZeroCell = 0;

    /// <summary>The cell index that means "no bucket for this value yet".</summary>
    public const int MissingCell = -1;

    private const int SumCell = 1;
    private const int FirstBucketCell = 2;
    private const int LongsPerCacheLine = 8;
    private const int MaxStripes = 16;
    private const long HotBit = long.MinValue;
    private const long SealedBit = 1L << 62;
    private const long OwnedBit = 1L << 61;
    private const int OverflowWritersCell = 1;
    private const int FirstAreaCell = 2;
    private const int InFlightBits = 31;
    private const long InFlightMask = (1L << InFlightBits) - 1;

    private static readonly int StripeCount = Math.Min(MaxStripes, (int)BitOperations.RoundUpToPowerOf2((uint)Environment.ProcessorCount));

    private readonly long[] _cells;
    private readonly int _areaStride;
    private readonly int _stripeStride;
    private readonly NativeBucketIndexer _indexer;
    private readonly long _zeroThresholdBits;

    public NativeHistogramLayout(int schema, double zeroThreshold, int capacity)
    {
        Schema = schema;
        ZeroThreshold = zeroThreshold;
        _indexer = NativeBucketIndexer.For(schema);
        _zeroThresholdBits = BitConverter.DoubleToInt64Bits(zeroThreshold);
        Directory = new NativeBucketDirectory(capacity);
        _areaStride = FirstBucketCell + capacity;
        _stripeStride = StripeLongs(capacity);
        _cells = new long[LongsPerCacheLine + (StripeCount * _stripeStride)];
    }

    public int Schema { get; }

    public double ZeroThreshold { get; }

    public NativeBucketDirectory Directory { get; }

    /// <summary>The memory this generation holds, in bytes, leaving out object headers.</summary>
    public long FootprintBytes => (_cells.Length * sizeof(long)) + Directory.FootprintBytes;

    /// <summary>The memory a generation of <paramref name="capacity"/> buckets holds, in bytes, leaving out object headers.</summary>
    public static long FootprintFor(int capacity) =>
        ((LongsPerCacheLine + ((long)StripeCount * StripeLongs(capacity))) * sizeof(long))
        + (BitOperations.RoundUpToPowerOf2((uint)Math.Max(2, capacity * 2)) * (sizeof(long) + sizeof(int)))
        + (capacity * sizeof(int));

    /// <summary>The cell of directory slot <paramref name="slot"/> within a count area.</summary>
    public static int CellOfSlot(int slot) => FirstBucketCell + slot;

    /// <summary>
    /// The directory key of the bucket <paramref name="value"/> belongs in, or <see cref="int.MinValue"/> when it
    /// belongs in the zero bucket. Not for NaN.
    /// </summary>
    // Hot path: integer arithmetic on the value's bits. Doubles that are not negative order as their bits do, so the
    // zero threshold is an integer comparison, and the sign bit is the key's negative flag.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int KeyOf(double value)
    {
        var bits = BitConverter.DoubleToInt64Bits(value);
        var magnitudeBits = bits & long.MaxValue;
        return magnitudeBits <= _zeroThresholdBits
            ? int.MinValue
            : (_indexer.IndexOfMagnitudeBits(magnitudeBits) << 1) | (int)((ulong)bits >> 63);
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
    /// counted nothing, when the generation is sealed or a scrape swapped the sets meanwhile: the caller retries.
    /// </summary>
    // Hot path: one compare-exchange and plain stores on this processor's stripe; must never allocate, lock or block.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryRecord(int cell, double value)
    {
        var stripe = LongsPerCacheLine + ((ProcessorHint.Current() & (StripeCount - 1)) * _stripeStride);
        // The stripe and the cell lie inside the array by construction (the stripe count and the directory's
        // capacity sized it), so the hot path skips the bounds checks.
        ref var controlWord = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_cells), stripe);
        var control = Volatile.Read(ref controlWord);
        if ((control & (OwnedBit | SealedBit)) != 0 || Interlocked.CompareExchange(ref controlWord, control | OwnedBit, control) != control)
        {
            return TryRecordBesideOwner(stripe, cell, value);
        }

        // The stripe is this observation's until the store below: nobody else writes this owner area meanwhile.
        ref var area = ref Unsafe.Add(ref controlWord, OwnerAreaOffset(control));
        ref var sumBits = ref Unsafe.Add(ref area, SumCell);
        sumBits = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(sumBits) + value);
        Unsafe.Add(ref area, cell)++;
        Volatile.Write(ref controlWord, control);
        return true;
    }

    /// <summary>
    /// The scrape's read, under the owner's lock: for each stripe, swaps hot and cold, waits until no observation
    /// is writing the now-cold set, adds its counts into <paramref name="slotTotals"/> (one per directory slot),
    /// <paramref name="zeroCount"/> and <paramref name="sum"/>, then moves them into the hot set's overflow area
    /// and clears the cold set, so that the next swap again finds the whole history in the set going cold.
    /// </summary>
    public void Collect(Span<long> slotTotals, ref long zeroCount, ref double sum)
    {
        var buckets = Directory.Count;
        for (var stripe = LongsPerCacheLine; stripe < _cells.Length; stripe += _stripeStride)
        {
            var control = ToggleWhenNotOwned(stripe, HotBit);
            var cold = (int)((ulong)control >> 63);
            WaitForOverflowWriters(stripe, cold);
            var coldSet = OwnerArea(stripe, control);
            var hotOverflow = OwnerArea(stripe, control ^ HotBit) + _areaStride;
            var stripeSum = 0.0;
            for (var area = coldSet; area <= coldSet + _areaStride; area += _areaStride)
            {
                Accumulate(area, buckets, slotTotals, ref zeroCount, ref stripeSum);
                MoveCountsInto(area, hotOverflow, buckets);
            }

            // The stripe's part of the sum is added to the total and carried to the hot set as one number, so the
            // next scrape adds the same parts in the same grouping plus what came since: with observations that are
            // not negative, the sum a scrape reads never falls below the one before.
            sum += stripeSum;
            AtomicDouble.Add(ref _cells[hotOverflow + SumCell], stripeSum);
        }
    }

    /// <summary>
    /// Retires this generation, under the owner's lock, once the next one is published: seals every stripe so
    /// that later observations retry on the next generation, waits for the observations already writing here, and
    /// adds all the counts into <paramref name="slotTotals"/>, <paramref name="zeroCount"/> and <paramref name="sum"/>.
    /// </summary>
    public void SealAndDrain(Span<long> slotTotals, ref long zeroCount, ref double sum)
    {
        var buckets = Directory.Count;
        for (var stripe = LongsPerCacheLine; stripe < _cells.Length; stripe += _stripeStride)
        {
            ToggleWhenNotOwned(stripe, SealedBit);
            WaitForOverflowWriters(stripe, 0);
            WaitForOverflowWriters(stripe, 1);
            var stripeSum = 0.0;
            for (var area = stripe + FirstAreaCell; area < stripe + FirstAreaCell + (4 * _areaStride); area += _areaStride)
            {
                Accumulate(area, buckets, slotTotals, ref zeroCount, ref stripeSum);
            }

            sum += stripeSum;
        }
    }

    /// <summary>Seals every stripe without draining it: for a reset, which discards what the generation counted.</summary>
    public void Seal()
    {
        for (var stripe = LongsPerCacheLine; stripe < _cells.Length; stripe += _stripeStride)
        {
            ToggleWhenNotOwned(stripe, SealedBit);
        }
    }

    /// <summary>
    /// Adds <paramref name="count"/> observations carried over from the previous generation to <paramref name="cell"/>
    /// of the first stripe's hot overflow area; under the owner's lock, so the hot set cannot change.
    /// </summary>
    public void AddCarried(int cell, long count)
    {
        var overflow = HotOverflowOfFirstStripe();
        Interlocked.Add(ref _cells[overflow + cell], count);
    }

    /// <summary>Adds the sum carried over from the previous generation to the first stripe's hot overflow area; under the owner's lock.</summary>
    public void AddCarriedSum(double sum) => AtomicDouble.Add(ref _cells[HotOverflowOfFirstStripe() + SumCell], sum);

    private static int StripeLongs(int capacity) =>
        RoundUpToCacheLine(FirstAreaCell + (4 * (FirstBucketCell + capacity))) + LongsPerCacheLine;

    /// <summary>The first cell of the owner area of the set the hot bit of <paramref name="control"/> names; its overflow area follows.</summary>
    private int OwnerArea(int stripe, long control) => stripe + OwnerAreaOffset(control);

    /// <summary>Where that owner area starts, counted from the stripe's control word.</summary>
    private int OwnerAreaOffset(long control) => FirstAreaCell + ((int)((ulong)control >> 63) * 2 * _areaStride);

    private int HotOverflowOfFirstStripe() =>
        OwnerArea(LongsPerCacheLine, Volatile.Read(ref _cells[LongsPerCacheLine])) + _areaStride;

    /// <summary>
    /// The slow path of an observation that found the stripe owned: it announces itself as an overflow writer of the
    /// set it read as hot, and goes on only if that set is still hot and the generation not sealed. The interlocked
    /// add and a scrape's compare-exchange are both full fences, so either this observation sees the swap (and
    /// retries) or the scrape sees it announced (and waits for it).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool TryRecordBesideOwner(int stripe, int cell, double value)
    {
        var control = Volatile.Read(ref _cells[stripe]);
        var set = (int)((ulong)control >> 63);
        var presence = 1L << (set * InFlightBits);
        Interlocked.Add(ref _cells[stripe + OverflowWritersCell], presence);
        var now = Volatile.Read(ref _cells[stripe]);
        var counted = (now & SealedBit) == 0 && (int)((ulong)now >> 63) == set;
        if (counted)
        {
            var overflow = OwnerArea(stripe, control) + _areaStride;
            AtomicDouble.Add(ref _cells[overflow + SumCell], value);
            Interlocked.Increment(ref _cells[overflow + cell]);
        }

        Interlocked.Add(ref _cells[stripe + OverflowWritersCell], -presence);
        return counted;
    }

    /// <summary>
    /// Toggles <paramref name="bit"/> of the control word (the hot bit at a scrape; the sealed bit, once, when the
    /// generation is retired) once no observation owns the stripe, since an owner gives the stripe back by storing
    /// the word it took; returns the word as it was before.
    /// </summary>
    private long ToggleWhenNotOwned(int stripe, long bit)
    {
        var spinner = default(SpinWait);
        while (true)
        {
            var control = Volatile.Read(ref _cells[stripe]);
            if ((control & OwnedBit) == 0 && Interlocked.CompareExchange(ref _cells[stripe], control ^ bit, control) == control)
            {
                return control;
            }

            spinner.SpinOnce();
        }
    }

    private void WaitForOverflowWriters(int stripe, int set)
    {
        var spinner = default(SpinWait);
        while (((Volatile.Read(ref _cells[stripe + OverflowWritersCell]) >> (set * InFlightBits)) & InFlightMask) != 0)
        {
            spinner.SpinOnce();
        }
    }

    private void Accumulate(int area, int buckets, Span<long> slotTotals, ref long zeroCount, ref double sum)
    {
        zeroCount += _cells[area + ZeroCell];
        sum += BitConverter.Int64BitsToDouble(_cells[area + SumCell]);
        for (var slot = 0; slot < buckets; slot++)
        {
            slotTotals[slot] += _cells[area + FirstBucketCell + slot];
        }
    }

    // The cold area is quiet: every writer of it has withdrawn, and later ones write the hot set. So it is read and
    // cleared with plain accesses, while the hot overflow area, which writers share, takes interlocked additions.
    // The sum is cleared here too; the caller carries it over for the whole stripe.
    private void MoveCountsInto(int cold, int hotOverflow, int buckets)
    {
        Interlocked.Add(ref _cells[hotOverflow + ZeroCell], _cells[cold + ZeroCell]);
        _cells[cold + ZeroCell] = 0;
        _cells[cold + SumCell] = 0;
        for (var slot = FirstBucketCell; slot < FirstBucketCell + buckets; slot++)
        {
            var carried = _cells[cold + slot];
            if (carried != 0)
            {
                Interlocked.Add(ref _cells[hotOverflow + slot], carried);
                _cells[cold + slot] = 0;
            }
        }
    }

    private static int RoundUpToCacheLine(int longs) => (longs + LongsPerCacheLine - 1) / LongsPerCacheLine * LongsPerCacheLine;
}
