using System.Runtime.CompilerServices;

namespace Metrics;

/// <summary>
/// Finds the bucket index of a value in one schema, as Prometheus defines it (see <see cref="NativeHistogramSchema"/>),
/// straight from the bits of the double: <c>frexp</c>'s exponent is the biased exponent less 1022 and its fraction
/// shares the mantissa, so no floating-point operation is needed for a normal value.
/// </summary>
internal readonly struct NativeBucketIndexer
{
    private const int MantissaBits = 52;
    private const long MantissaMask = (1L << MantissaBits) - 1;
    private const int InfinityExponent = 0x7FF;
    private const double TwoToThe64 = 18446744073709551616.0;

    private static readonly NativeBucketIndexer[] BySchema = BuildAll();

    private readonly int _schema;
    private readonly NativeHistogramBounds.OctaveCell[] _cells;
    private readonly int _cellShift;
    private readonly int _infinityIndex;

    private NativeBucketIndexer(int schema)
    {
        _schema = schema;
        _cells = schema > 0 ? NativeHistogramBounds.CellsFor(schema) : [];
        _cellShift = MantissaBits - schema - 1;
        _infinityIndex = IndexOfMagnitudeBits(BitConverter.DoubleToInt64Bits(double.MaxValue)) + 1;
    }

    /// <summary>The indexer of <paramref name="schema"/>, -4 to 8.</summary>
    public static NativeBucketIndexer For(int schema) => BySchema[schema - NativeHistogramSchema.Min];

    /// <summary>
    /// The index of the bucket of the value with these bits and no sign bit: above zero, finite or <c>+Inf</c>
    /// (which gets the bucket above that of <see cref="double.MaxValue"/>).
    /// </summary>
    // Hot path: integer arithmetic and, above schema 0, one table read; never allocates.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int IndexOfMagnitudeBits(long magnitudeBits)
    {
        var biasedExponent = (int)(magnitudeBits >> MantissaBits);
        return (uint)(biasedExponent - 1) < InfinityExponent - 1
            ? IndexOf(biasedExponent, magnitudeBits & MantissaMask)
            : IndexOfSubnormalOrInfinity(magnitudeBits);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int IndexOf(int biasedExponent, long mantissa)
    {
        if (_schema > 0)
        {
            // frexp's exponent less one, times the buckets per power of two, plus the bucket inside the power.
            var cell = _cells[(int)(mantissa >> _cellShift)];
            return cell.FirstBound + (mantissa > cell.BoundMantissa ? 1 : 0) + ((biasedExponent - 1023) << _schema);
        }

        // A fraction of exactly 0.5 is a power of two, the inclusive upper bound of the bucket below.
        var index = biasedExponent - (mantissa == 0 ? 1023 : 1022);
        return (index + (1 << -_schema) - 1) >> -_schema;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int IndexOfSubnormalOrInfinity(long magnitudeBits)
    {
        if ((int)(magnitudeBits >> MantissaBits) == InfinityExponent)
        {
            return _infinityIndex;
        }

        // Scaling a subnormal by 2^64 is exact and makes it normal; its frexp exponent is then 64 too high.
        var scaled = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(magnitudeBits) * TwoToThe64);
        return IndexOf((int)(scaled >> MantissaBits) - 64, scaled & MantissaMask);
    }

    private static NativeBucketIndexer[] BuildAll()
    {
        var indexers = new NativeBucketIndexer[NativeHistogramSchema.Max - NativeHistogramSchema.Min + 1];
        for (var schema = NativeHistogramSchema.Min; schema <= NativeHistogramSchema.Max; schema++)
        {
            indexers[schema - NativeHistogramSchema.Min] = new NativeBucketIndexer(schema);
        }

        return indexers;
    }
}
