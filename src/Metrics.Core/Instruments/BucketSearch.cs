using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Metrics;

/// <summary>
/// Finds an observation's bucket among a histogram family's bounds: the number of bounds below the value, since
/// bounds are inclusive upper bounds and index <c>bounds.Length</c> is <c>+Inf</c>. Built once per family.
/// </summary>
internal sealed class BucketSearch
{
    // Up to this many bounds, comparing the value with every bound at once beats a binary search, whose branches
    // mispredict on observations spread across the buckets; past it, the binary search's log n comparisons win.
    private const int VectorSearchLimit = 32;

    // Without vector hardware, a short linear scan is branch-predictable and cache-resident.
    private const int LinearSearchLimit = 8;

    private readonly double[] _bounds;
    private readonly double[]? _paddedBounds;

    public BucketSearch(double[] bounds)
    {
        _bounds = bounds;
        if (Vector256.IsHardwareAccelerated && bounds.Length <= VectorSearchLimit)
        {
            // +Inf padding fills the last vector and is never below a value, so it never moves an index.
            var width = Vector256<double>.Count;
            _paddedBounds = new double[(bounds.Length + width - 1) / width * width];
            Array.Fill(_paddedBounds, double.PositiveInfinity);
            bounds.CopyTo(_paddedBounds, 0);
        }
    }

    /// <summary>The bucket index of <paramref name="value"/>, which must not be NaN.</summary>
    // Hot path: no allocation, no lock; branch-free for up to 32 bounds on vector hardware.
    public int Find(double value)
    {
        if (_paddedBounds is { } padded)
        {
            return CountBoundsBelow(padded, value);
        }

        var bounds = _bounds;
        if (bounds.Length <= LinearSearchLimit)
        {
            var index = 0;
            while (index < bounds.Length && value > bounds[index])
            {
                index++;
            }

            return index;
        }

        var low = 0;
        var high = bounds.Length;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (value <= bounds[middle])
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low;
    }

    private static int CountBoundsBelow(double[] padded, double value)
    {
        var target = Vector256.Create(value);
        ref var start = ref MemoryMarshal.GetArrayDataReference(padded);
        var below = 0;
        for (var offset = 0; offset < padded.Length; offset += Vector256<double>.Count)
        {
            var bounds = Vector256.LoadUnsafe(ref start, (nuint)offset);
            below += BitOperations.PopCount(Vector256.LessThan(bounds, target).ExtractMostSignificantBits());
        }

        return below;
    }
}
