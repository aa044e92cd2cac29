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
/// sum and chunk of buffered observations, guarded by a flag that only that stripe's writers touch. A full chunk
/// (64 observations) is handed to the quantile estimators under the summary's window lock, so that lock is taken
/// once per 64 observations of a stripe rather than once per observation, the known cost of prometheus-net's and
/// client_golang's summaries under concurrency. A collection drains every stripe, so it reports every
/// observation made before it.
/// </para>
/// <para>
/// Quantiles cannot be aggregated across series or instances; prefer a <see cref="Histogram"/> where that
/// matters. A NaN observation is ignored: it has no rank, and it would turn <c>_sum</c> into NaN for good.
/// </para>
/// </remarks>
public sealed class Summary : MetricSeries
{
    private const int LongsPerCacheLine = 8;
    private const int MaxStripes = 16;
    private const int ChunkLength = 64;

    // A stripe's cells: its writer flag, how many observations its chunk holds, the date of the chunk's first
    // observation, its count and the bits of its sum; one cache line, plus a line of gap to the next stripe.
    private const int LockSlot = 0;
    private const int BufferedSlot = 1;
    private const int DateSlot = 2;
    private const int CountSlot = 3;
    private const int SumSlot = 4;
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
        _chunks = new double[StripeCount * ChunkStride];
    }

    /// <summary>The quantiles this summary estimates, in increasing order; empty when it keeps only count and sum.</summary>
    public IReadOnlyList<double> Quantiles => _quantiles;

    internal int QuantileCount => _quantiles.Length;

    /// <summary>Records one observation.</summary>
    // Hot path: one uncontended compare-exchange on this processor's stripe and a few plain stores; must never
    // allocate, and never take a lock that other processors' writers take except to hand over a full chunk.
    public void Observe(double value)
    {
        if (double.IsNaN(value))
        {
            return;
        }

        var stripe = Thread.GetCurrentProcessorId() & (StripeCount - 1);
        var cells = _cells;
        var offset = LongsPerCacheLine + (stripe * CellStride);
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

        _chunks[(stripe * ChunkStride) + buffered] = value;
        if (++buffered < ChunkLength)
        {
            cells[offset + BufferedSlot] = buffered;
            ExitStripe(ref cells[offset + LockSlot]);
            return;
        }

        HandOverFullChunk(stripe, offset);
    }

    /// <summary>
    /// Drains every stripe into the window and writes the estimate of each quantile into
    /// <paramref name="quantileValues"/> (NaN while the window is empty); returns the count of all observations.
    /// </summary>
    internal long Read(Span<double> quantileValues, out double sum)
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
                var offset = LongsPerCacheLine + (stripe * CellStride);
                EnterStripe(ref _cells[offset + LockSlot]);
                count += _cells[offset + CountSlot];
                sum += BitConverter.Int64BitsToDouble(_cells[offset + SumSlot]);
                var buffered = (int)_cells[offset + BufferedSlot];
                _chunks.AsSpan(stripe * ChunkStride, buffered).CopyTo(chunk);
                var date = _cells[offset + DateSlot];
                _cells[offset + BufferedSlot] = 0;
                ExitStripe(ref _cells[offset + LockSlot]);
                _window.Add(chunk[..buffered], date);
            }

            _window.Query(quantileValues);
            return count;
        }
    }

    private long ReadTotals(out double sum)
    {
        var count = 0L;
        sum = 0.0;
        for (var stripe = 0; stripe < StripeCount; stripe++)
        {
            var offset = LongsPerCacheLine + (stripe * CellStride);
            EnterStripe(ref _cells[offset + LockSlot]);
            count += _cells[offset + CountSlot];
            sum += BitConverter.Int64BitsToDouble(_cells[offset + SumSlot]);
            ExitStripe(ref _cells[offset + LockSlot]);
        }

        return count;
    }

    // Called with the stripe's flag held; releases it before taking the window lock, so that a writer never
    // holds its stripe while it waits, and collections can take the window lock and then each stripe.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void HandOverFullChunk(int stripe, int offset)
    {
        Span<double> chunk = stackalloc double[ChunkLength];
        _chunks.AsSpan(stripe * ChunkStride, ChunkLength).CopyTo(chunk);
        var date = _cells[offset + DateSlot];
        _cells[offset + BufferedSlot] = 0;
        ExitStripe(ref _cells[offset + LockSlot]);
        lock (_window!.SyncRoot)
        {
            _window.Add(chunk, date);
        }
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
