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
/// Cells (longs) of one stripe: a control word, then two count sets, each of two areas of
/// <c>[zero count, sum bits, bucket slots…]</c>: the owner's, written with plain stores, and the overflow, written
/// with interlocked ones. Stripes are padded apart by a cache line, so writers on different processors never share
/// one. The control word holds the hot set's index in bit 63, a sealed flag in bit 62 (set once the generation is
/// replaced), and in two 31-bit fields, how many observations are writing to each set right now.
/// </para>
/// <para>
/// An observation reads which set is hot and announces itself on that set with one interlocked add, which returns
/// the word: if the hot bit changed meanwhile, or the generation is sealed, it withdraws and retries. If it is alone
/// on its set, it owns the set's owner area until it withdraws (anyone arriving meanwhile sees two in flight), so it
/// updates sum and bucket with plain stores; otherwise it updates the overflow area with interlocked ones. It
/// withdraws with a second interlocked add, which also publishes its stores to the next owner and to the scrape. So
/// an observation on a processor of its own costs two interlocked operations, as many as the classic histogram's.
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
        + (BitOperations.RoundUpToPowerOf2((uint)Math.Max(2, capacity * 2)) * sizeof(long))
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
    /// counted nothing, when a scrape swapped the sets meanwhile or the generation is sealed: the caller retries.
    /// </summary>
    // Hot path: two interlocked adds to this processor's control word, plain stores between them when alone on the
    // set; must never allocate, lock or block.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryRecord(int cell, double value)
    {
        var stripe = LongsPerCacheLine + ((Thread.GetCurrentProcessorId() & (StripeCount - 1)) * _stripeStride);
        var set = (int)((ulong)Volatile.Read(ref _cells[stripe]) >> 63);
        var presence = 1L << (set * InFlightBits);
        var control = Interlocked.Add(ref _cells[stripe], presence);
        if ((control & SealedBit) != 0 || (int)((ulong)control >> 63) != set)
        {
            Interlocked.Add(ref _cells[stripe], -presence);
            return false;
        }

        var area = stripe + 1 + (set * 2 * _areaStride);
        if (((control >> (set * InFlightBits)) & InFlightMask) == 1)
        {
            // Alone on this set: nobody else writes its owner area until this observation withdraws.
            _cells[area + SumCell] = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(_cells[area + SumCell]) + value);
            _cells[area + cell]++;
        }
        else
        {
            AtomicDouble.Add(ref _cells[area + _areaStride + SumCell], value);
            Interlocked.Increment(ref _cells[area + _areaStride + cell]);
        }

        Interlocked.Add(ref _cells[stripe], -presence);
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
            var control = Interlocked.Add(ref _cells[stripe], HotBit);
            var hot = (int)((ulong)control >> 63);
            var cold = 1 - hot;
            WaitUntilQuiet(stripe, cold);
            var coldSet = stripe + 1 + (cold * 2 * _areaStride);
            var hotOverflow = stripe + 1 + (hot * 2 * _areaStride) + _areaStride;
            for (var area = coldSet; area <= coldSet + _areaStride; area += _areaStride)
            {
                Accumulate(area, buckets, slotTotals, ref zeroCount, ref sum);
                MoveInto(area, hotOverflow, buckets);
            }
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
            Interlocked.Or(ref _cells[stripe], SealedBit);
            WaitUntilQuiet(stripe, 0);
            WaitUntilQuiet(stripe, 1);
            for (var area = stripe + 1; area < stripe + 1 + (4 * _areaStride); area += _areaStride)
            {
                Accumulate(area, buckets, slotTotals, ref zeroCount, ref sum);
            }
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
    /// Adds <paramref name="count"/> observations carried over from the previous generation to <paramref name="cell"/>
    /// of the first stripe's hot overflow area; under the owner's lock, so the hot set cannot change meanwhile.
    /// </summary>
    public void AddCarried(int cell, long count) => Interlocked.Add(ref _cells[HotOverflowOfFirstStripe() + cell], count);

    /// <summary>Adds the sum carried over from the previous generation to the first stripe's hot overflow area; under the owner's lock.</summary>
    public void AddCarriedSum(double sum) => AtomicDouble.Add(ref _cells[HotOverflowOfFirstStripe() + SumCell], sum);

    private static int StripeLongs(int capacity) =>
        RoundUpToCacheLine(1 + (4 * (FirstBucketCell + capacity))) + LongsPerCacheLine;

    private int HotOverflowOfFirstStripe()
    {
        var stripe = LongsPerCacheLine;
        var hot = (int)((ulong)Volatile.Read(ref _cells[stripe]) >> 63);
        return stripe + 1 + (hot * 2 * _areaStride) + _areaStride;
    }

    private void WaitUntilQuiet(int stripe, int set)
    {
        var spinner = default(SpinWait);
        while (((Volatile.Read(ref _cells[stripe]) >> (set * InFlightBits)) & InFlightMask) != 0)
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
    private void MoveInto(int cold, int hotOverflow, int buckets)
    {
        Interlocked.Add(ref _cells[hotOverflow + ZeroCell], _cells[cold + ZeroCell]);
        _cells[cold + ZeroCell] = 0;
        AtomicDouble.Add(ref _cells[hotOverflow + SumCell], BitConverter.Int64BitsToDouble(_cells[cold + SumCell]));
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
