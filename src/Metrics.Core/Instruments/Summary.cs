using System.Buffers;
using System.Runtime.CompilerServices;

namespace Metrics;

/// <summary>
/// Observes values, such as request durations, and reports configured quantiles of the recent ones, with the
/// <c>_count</c> and <c>_sum</c> of all of them. The quantiles cover a sliding time window; see
/// <see cref="SummaryOptions"/>.
/// </summary>
/// <remarks>
/// <para>
/// Writers on different processors share no lock: each processor stripe has its own cache-line-padded count,
/// sum and chunks of buffered observations, guarded by a flag that only that stripe's writers touch, so a lock per
/// observation never becomes the contended point. A full chunk (64 observations) is sorted by its writer outside every
/// lock and handed to the quantile estimators if the summary's window lock is free; otherwise it is parked in its
/// stripe for whoever takes that lock next, or for the next collection. A writer waits for that lock only when its
/// stripe fills a second chunk before the first was added, which happens only when observations outrun the estimators.
/// A collection drains every stripe, so it reports every observation made before it.
/// </para>
/// <para>
/// Quantiles cannot be aggregated across series or instances; prefer a <see cref="Histogram"/> where that
/// matters. A NaN observation is ignored: it has no rank, and it would turn <c>_sum</c> into NaN for good.
/// </para>
/// <para>
/// Negative observations are recorded, and the text format shows everything. OpenMetrics, though, treats
/// <c>_sum</c> as a counter and forbids negative quantile values, so its output leaves out a quantile whose estimate
/// is negative and the <c>_sum</c> while it is negative or NaN (after both infinities); <c>_count</c> always stays.
/// </para>
/// </remarks>
public sealed class Summary : MetricSeries
{
    private const int LongsPerCacheLine = 8;
    private const int MaxStripes = 16;
    private const int ChunkLength = 64;

    // A stripe's cells, one cache line plus a line of gap to the next stripe: its writer flag; how many
    // observations its active chunk holds, and the date of the first; its count and the bits of its sum; and the
    // length and date of its parked chunk, a full chunk sorted and waiting for the window.
    private const int LockSlot = 0;
    private const int BufferedSlot = 1;
    private const int DateSlot = 2;
    private const int CountSlot = 3;
    private const int SumSlot = 4;
    private const int ParkedLengthSlot = 5;
    private const int ParkedDateSlot = 6;
    private const int ActiveChunk = 0;
    private const int ParkedChunk = 1;
    private const int CellStride = 2 * LongsPerCacheLine;
    private const int ChunkStride = ChunkLength + LongsPerCacheLine;

    private static readonly int StripeCount = Math.Min(MaxStripes, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Environment.ProcessorCount));

    private readonly double[] _quantiles;
    private readonly SummaryWindow? _window;
    private readonly long[] _cells;
    private readonly double[] _chunks;

    internal Summary(MetricFamily family, string[] labelValues, SummaryLayout layout)
        : base(family, labelValues)
    {
        _quantiles = layout.Quantiles;
        _cells = new long[LongsPerCacheLine + (StripeCount * CellStride)];
        if (layout.Quantiles.Length == 0)
        {
            _chunks = [];
            return;
        }

        _window = new SummaryWindow(layout, family.Registry.TimeProvider);
        _chunks = new double[StripeCount * 2 * ChunkStride];
    }

    /// <summary>The quantiles this summary estimates, in increasing order; empty when it keeps only count and sum.</summary>
    public IReadOnlyList<double> Quantiles => _quantiles;

    internal static SeriesKind Kind { get; } = new("a summary", MetricType.Summary, "quantile", "the quantiles of summaries");

    /// <summary>Records one observation.</summary>
    // Hot path: one uncontended compare-exchange on this processor's stripe, a few plain stores and a branch for
    // expiry; must never allocate, and never wait for a lock that other processors' writers take (see the remarks
    // for the exception).
    public void Observe(double value)
    {
        if (double.IsNaN(value))
        {
            return;
        }

        Record(value);
        MarkUpdated();
    }

    internal override void Read<TReader>(ref TReader reader)
    {
        var quantileCount = _quantiles.Length;
        double[]? rented = null;
        var values = quantileCount <= StackReadLimit
            ? stackalloc double[quantileCount]
            : (rented = ArrayPool<double>.Shared.Rent(quantileCount)).AsSpan(0, quantileCount);
        var count = Drain(values, out var sum);
        reader.Summary(this, values, count, sum);
        if (rented is not null)
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Drains every stripe into the window and writes the estimate of each quantile into
    /// <paramref name="quantileValues"/> (NaN while the window is empty); returns the count of all observations.
    /// </summary>
    private long Drain(Span<double> quantileValues, out double sum)
    {
        if (_window is null)
        {
            return ReadTotals(out sum);
        }

        lock (_window.SyncRoot)
        {
            var count = 0L;
            sum = 0.0;
            Span<double> chunk = stackalloc double[ChunkLength];
            for (var stripe = 0; stripe < StripeCount; stripe++)
            {
                AddParkedChunk(stripe, chunk);
                var offset = CellOffset(stripe);
                EnterStripe(ref _cells[offset + LockSlot]);
                count += _cells[offset + CountSlot];
                sum += BitConverter.Int64BitsToDouble(_cells[offset + SumSlot]);
                var buffered = (int)_cells[offset + BufferedSlot];
                _chunks.AsSpan(ChunkOffset(stripe, ActiveChunk), buffered).CopyTo(chunk);
                var date = _cells[offset + DateSlot];
                _cells[offset + BufferedSlot] = 0;
                ExitStripe(ref _cells[offset + LockSlot]);
                chunk[..buffered].Sort();
                _window.Add(chunk[..buffered], date);
            }

            _window.Query(quantileValues);
            return count;
        }
    }

    private static int CellOffset(int stripe) => LongsPerCacheLine + (stripe * CellStride);

    private static int ChunkOffset(int stripe, int chunk) => ((stripe * 2) + chunk) * ChunkStride;

    // Releases the stripe's flag before the measurement is marked for expiry, whose rare path takes the family lock.
    private void Record(double value)
    {
        var stripe = ProcessorHint.Current() & (StripeCount - 1);
        var cells = _cells;
        var offset = CellOffset(stripe);
        EnterStripe(ref cells[offset + LockSlot]);
        cells[offset + CountSlot]++;
        cells[offset + SumSlot] = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(cells[offset + SumSlot]) + value);
        if (_window is null)
        {
            ExitStripe(ref cells[offset + LockSlot]);
            return;
        }

        var buffered = (int)cells[offset + BufferedSlot];
        if (buffered == 0)
        {
            cells[offset + DateSlot] = _window.Now();
        }

        _chunks[ChunkOffset(stripe, ActiveChunk) + buffered] = value;
        if (++buffered < ChunkLength)
        {
            cells[offset + BufferedSlot] = buffered;
            ExitStripe(ref cells[offset + LockSlot]);
            return;
        }

        HandOverFullChunk(stripe, offset);
    }

    private long ReadTotals(out double sum)
    {
        var count = 0L;
        sum = 0.0;
        for (var stripe = 0; stripe < StripeCount; stripe++)
        {
            var offset = CellOffset(stripe);
            EnterStripe(ref _cells[offset + LockSlot]);
            count += _cells[offset + CountSlot];
            sum += BitConverter.Int64BitsToDouble(_cells[offset + SumSlot]);
            ExitStripe(ref _cells[offset + LockSlot]);
        }

        return count;
    }

    // Called with the stripe's flag held, and releases it at once: the chunk is copied out and sorted on this
    // thread, outside every lock. Then it goes to the window if its lock is free, or is parked in the stripe for
    // whoever takes that lock next. Only when the stripe already has a chunk parked does the writer wait for the
    // window lock, the estimators being behind.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void HandOverFullChunk(int stripe, int offset)
    {
        var cells = _cells;
        var window = _window!;
        Span<double> chunk = stackalloc double[ChunkLength];
        _chunks.AsSpan(ChunkOffset(stripe, ActiveChunk), ChunkLength).CopyTo(chunk);
        var date = cells[offset + DateSlot];
        cells[offset + BufferedSlot] = 0;
        ExitStripe(ref cells[offset + LockSlot]);
        chunk.Sort();
        if (Monitor.TryEnter(window.SyncRoot))
        {
            try
            {
                window.Add(chunk, date);
                AddParkedChunks();
            }
            finally
            {
                Monitor.Exit(window.SyncRoot);
            }

            return;
        }

        EnterStripe(ref cells[offset + LockSlot]);
        if (cells[offset + ParkedLengthSlot] == 0)
        {
            chunk.CopyTo(_chunks.AsSpan(ChunkOffset(stripe, ParkedChunk), ChunkLength));
            cells[offset + ParkedLengthSlot] = ChunkLength;
            cells[offset + ParkedDateSlot] = date;
            ExitStripe(ref cells[offset + LockSlot]);
            return;
        }

        ExitStripe(ref cells[offset + LockSlot]);
        lock (window.SyncRoot)
        {
            window.Add(chunk, date);
            AddParkedChunks();
        }
    }

    /// <summary>Adds every stripe's parked chunk to the window; the caller holds the window lock.</summary>
    private void AddParkedChunks()
    {
        Span<double> chunk = stackalloc double[ChunkLength];
        for (var stripe = 0; stripe < StripeCount; stripe++)
        {
            AddParkedChunk(stripe, chunk);
        }
    }

    private void AddParkedChunk(int stripe, Span<double> chunk)
    {
        var offset = CellOffset(stripe);
        if (Volatile.Read(ref _cells[offset + ParkedLengthSlot]) == 0)
        {
            return;
        }

        EnterStripe(ref _cells[offset + LockSlot]);
        var length = (int)_cells[offset + ParkedLengthSlot];
        var date = _cells[offset + ParkedDateSlot];
        _chunks.AsSpan(ChunkOffset(stripe, ParkedChunk), length).CopyTo(chunk);
        _cells[offset + ParkedLengthSlot] = 0;
        ExitStripe(ref _cells[offset + LockSlot]);
        _window!.Add(chunk[..length], date);
    }

    private static void EnterStripe(ref long flag)
    {
        if (Interlocked.CompareExchange(ref flag, 1, 0) != 0)
        {
            EnterStripeContended(ref flag);
        }
    }

    // Another writer on this stripe holds the flag for a few stores; spin, then yield, until it lets go.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void EnterStripeContended(ref long flag)
    {
        var spinner = default(SpinWait);
        do
        {
            spinner.SpinOnce();
        }
        while (Volatile.Read(ref flag) != 0 || Interlocked.CompareExchange(ref flag, 1, 0) != 0);
    }

    private static void ExitStripe(ref long flag) => Volatile.Write(ref flag, 0);
}
