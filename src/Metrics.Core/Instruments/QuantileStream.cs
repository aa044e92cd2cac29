namespace Metrics;

/// <summary>
/// Estimates targeted quantiles of a stream of values in bounded memory: the CKMS algorithm ("Effective Computation
/// of Biased Quantiles over Data Streams", Cormode, Korn, Muthukrishnan and Srivastava), the one the Prometheus Go
/// client's summaries use. For each target quantile φ with error ε, the value a query returns has a rank within
/// <c>(φ ± ε) · n</c> among the <c>n</c> values inserted, whatever their order.
/// </summary>
/// <remarks>
/// Values arrive in sorted batches and are merged in one pass from the back, so a batch of <c>b</c> values into
/// <c>s</c> tuples costs <c>O(s + b)</c>, not the <c>O(s · b)</c> of inserting one at a time. The minimum and
/// maximum are kept exactly, which bounds the tuples whatever the order of the input (a few dozen for the
/// objectives 0.5 ± 0.05, 0.9 ± 0.01, 0.99 ± 0.001). Arrays only grow while the summary grows; at a steady rate,
/// inserting allocates nothing. Not thread-safe: the owning <see cref="SummaryWindow"/> serialises access.
/// </remarks>
internal sealed class QuantileStream
{
    // Merging needs room for the tuples plus the batch only for a moment, so the room is per thread rather than
    // per estimator: a summary's estimators keep just their compressed tuples.
    [ThreadStatic]
    private static Tuple[]? t_mergeBuffer;

    private readonly double[] _quantiles;
    private readonly double[] _slopesAbove;
    private readonly double[] _slopesBelow;
    private Tuple[] _tuples = new Tuple[64];
    private int _tupleCount;
    private long _count;

    public QuantileStream(double[] quantiles, double[] errors)
    {
        _quantiles = quantiles;
        _slopesAbove = new double[quantiles.Length];
        _slopesBelow = new double[quantiles.Length];
        for (var i = 0; i < quantiles.Length; i++)
        {
            var error = InvariantError(quantiles[i], errors[i]);
            _slopesAbove[i] = 2 * error / quantiles[i];
            _slopesBelow[i] = 2 * error / (1 - quantiles[i]);
        }
    }

    /// <summary>How many values were inserted since the last reset.</summary>
    public long Count => _count;

    /// <summary>How many tuples summarise them: the estimator's memory, 24 bytes per tuple.</summary>
    public int TupleCount => _tupleCount;

    /// <summary>Forgets every value and keeps the memory for reuse.</summary>
    public void Reset()
    {
        _tupleCount = 0;
        _count = 0;
    }

    /// <summary>Inserts <paramref name="sorted"/>, which must be in increasing order, and compresses in the same pass.</summary>
    public void InsertSorted(ReadOnlySpan<double> sorted)
    {
        if (sorted.IsEmpty)
        {
            return;
        }

        var total = _tupleCount + sorted.Length;
        var output = t_mergeBuffer is { } buffer && buffer.Length >= total ? buffer : (t_mergeBuffer = new Tuple[Math.Max(total, 1024)]);
        var count = _count + sorted.Length;
        var tuples = _tuples;
        var read = _tupleCount - 1;
        var next = sorted.Length - 1;

        // One backward pass merges the batch into the tuples and compresses them. Merging: a new value goes after
        // existing tuples of equal value; its rank is at least one more than its predecessor's least rank and at
        // most its successor's greatest rank, so its uncertainty Δ is the successor's g + Δ - 1, as in
        // Greenwald-Khanna (CKMS's f(r, n) - 1 would be looser), and a new maximum's rank is exact. Compressing:
        // each tuple merges into its right neighbour while the invariant at its rank allows, except the minimum,
        // which stays exact so that a later, smaller value has an exact rank too. Without that, reverse-sorted input
        // inherits the first tuple's uncertainty batch after batch, and the tuples grow with the count.
        var successorUncertainty = 0L;
        var kept = total;
        var right = NextDescending(tuples, sorted, ref read, ref next, ref successorUncertainty);
        var suffixWidths = right.Width;
        while (read >= 0 || next >= 0)
        {
            var left = NextDescending(tuples, sorted, ref read, ref next, ref successorUncertainty);
            var isMinimum = read < 0 && next < 0;
            var rankBefore = count - suffixWidths - left.Width;
            if (!isMinimum && left.Width + right.Width + right.Delta <= Invariant(rankBefore, count))
            {
                right = right with { Width = right.Width + left.Width };
            }
            else
            {
                output[--kept] = right;
                right = left;
            }

            suffixWidths += left.Width;
        }

        output[--kept] = right;
        var survivors = total - kept;
        if (survivors > _tuples.Length)
        {
            _tuples = new Tuple[Math.Max(survivors, _tuples.Length * 2)];
        }

        output.AsSpan(kept, survivors).CopyTo(_tuples);
        _tupleCount = survivors;
        _count = count;
    }

    /// <summary>The estimate of quantile <paramref name="q"/>, one of the targets; NaN when the stream is empty.</summary>
    public double Query(double q)
    {
        if (_count == 0)
        {
            return double.NaN;
        }

        // CKMS's output rule, from the rank ⌈qn⌉ that an exact quantile has: the tuple before the first whose
        // greatest possible rank exceeds ⌈qn⌉ + f/2. Unlike the Go client's rounding of f/2 up, this returns the
        // exact quantile while nothing is compressed, however few values there are.
        var target = Math.Ceiling(q * _count);
        target += Invariant(target, _count) / 2;
        var tuples = _tuples;
        var previous = tuples[0];
        var rank = 0L;
        for (var i = 1; i < _tupleCount; i++)
        {
            var current = tuples[i];
            rank += previous.Width;
            if (rank + current.Width + current.Delta > target)
            {
                return previous.Value;
            }

            previous = current;
        }

        return previous.Value;
    }

    /// <summary>
    /// The ε to build the invariant from so that the error of a query stays within <paramref name="error"/>.
    /// CKMS's targeted invariant allows <c>2εn</c> of uncertainty only at the target rank, and more below it: a
    /// tuple at rank <c>qn - x</c> may carry <c>2ε(n - qn + x)/(1 - q)</c>. A query can then return a value
    /// <c>x = εn / (1 - 2ε/(1 - q))</c> below the target, beyond the promised <c>εn</c> (reverse-sorted input
    /// shows it). Solving that for the declared error gives <c>ε = error · (1 - q) / (1 - q + 2 · error)</c>.
    /// </summary>
    private static double InvariantError(double quantile, double error) => error * (1 - quantile) / (1 - quantile + (2 * error));

    /// <summary>
    /// The most uncertainty, <c>g + Δ</c>, a tuple at rank <paramref name="rank"/> may carry among
    /// <paramref name="count"/> values: the targeted invariant, the minimum over the targets.
    /// </summary>
    // Called once per tuple per batch: multiplications by slopes computed once, no division.
    private double Invariant(double rank, long count)
    {
        var allowed = double.MaxValue;
        for (var i = 0; i < _quantiles.Length; i++)
        {
            var bound = _quantiles[i] * count <= rank ? _slopesAbove[i] * rank : _slopesBelow[i] * (count - rank);
            allowed = Math.Min(allowed, bound);
        }

        return allowed;
    }

    /// <summary>The largest of the tuples and batch values not yet taken, as a tuple; new values get their Δ here.</summary>
    private static Tuple NextDescending(Tuple[] tuples, ReadOnlySpan<double> sorted, ref int read, ref int next, ref long successorUncertainty)
    {
        if (next < 0 || (read >= 0 && tuples[read].Value > sorted[next]))
        {
            var existing = tuples[read--];
            successorUncertainty = existing.Width + existing.Delta - 1;
            return existing;
        }

        return new Tuple(sorted[next--], 1, successorUncertainty);
    }

    /// <summary>
    /// One summarised run of values: <see cref="Value"/> stands for <see cref="Width"/> values (CKMS's <c>g</c>),
    /// and <see cref="Delta"/> bounds the uncertainty of its rank (CKMS's <c>Δ</c>).
    /// </summary>
    private readonly record struct Tuple(double Value, long Width, long Delta);
}
