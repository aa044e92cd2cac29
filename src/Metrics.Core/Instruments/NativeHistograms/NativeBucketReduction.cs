namespace Metrics;

/// <summary>
/// Plans how a native histogram that has too many buckets gets back under its limit: the schema and zero threshold
/// after widening the zero bucket and halving the resolution, as <see cref="NativeHistogramOptions"/> describes.
/// </summary>
/// <remarks>
/// Planning looks only at which buckets exist, not at their counts, so it runs before the counts are moved. Each
/// step is client_golang's: widening merges the buckets closest to zero (positive and negative alike) into the zero
/// bucket and sets the zero threshold to their upper bound; halving maps bucket <c>i</c> to <c>ceil(i / 2)</c>. The
/// steps repeat until the buckets fit.
/// </remarks>
internal static class NativeBucketReduction
{
    /// <summary>
    /// The schema and zero threshold at which <paramref name="keys"/> (distinct directory keys at
    /// <paramref name="schema"/>) make at most <paramref name="maxBuckets"/> buckets.
    /// </summary>
    public static (int Schema, double ZeroThreshold) Plan(
        int schema, double zeroThreshold, ReadOnlySpan<int> keys, int maxBuckets, double maxZeroThreshold)
    {
        var working = keys.ToArray();
        var count = working.Length;
        while (count > maxBuckets)
        {
            var closest = ClosestToZero(working.AsSpan(0, count));
            var bound = NativeHistogramSchema.UpperBound(closest, schema);
            var mayWiden = zeroThreshold < maxZeroThreshold && bound <= maxZeroThreshold;
            if (mayWiden || schema == NativeHistogramSchema.Min)
            {
                // At schema -4 the buckets can only get fewer by widening, so past the limit it widens anyway:
                // memory stays bounded whatever is observed.
                zeroThreshold = bound;
                count = RemoveIndex(working, count, closest);
            }
            else
            {
                count = Halve(working, count, schema);
                schema--;
            }
        }

        return (schema, zeroThreshold);
    }

    private static int ClosestToZero(ReadOnlySpan<int> keys)
    {
        var closest = int.MaxValue;
        foreach (var key in keys)
        {
            closest = Math.Min(closest, NativeBucketDirectory.IndexOf(key));
        }

        return closest;
    }

    private static int RemoveIndex(int[] keys, int count, int index)
    {
        var kept = 0;
        for (var i = 0; i < count; i++)
        {
            if (NativeBucketDirectory.IndexOf(keys[i]) != index)
            {
                keys[kept++] = keys[i];
            }
        }

        return kept;
    }

    private static int Halve(int[] keys, int count, int schema)
    {
        for (var i = 0; i < count; i++)
        {
            var index = NativeHistogramSchema.CoarserIndex(NativeBucketDirectory.IndexOf(keys[i]), schema, schema - 1);
            keys[i] = NativeBucketDirectory.Key(index, NativeBucketDirectory.IsNegative(keys[i]));
        }

        var distinct = keys.AsSpan(0, count);
        distinct.Sort();
        var kept = 0;
        for (var i = 0; i < count; i++)
        {
            if (kept == 0 || keys[kept - 1] != keys[i])
            {
                keys[kept++] = keys[i];
            }
        }

        return kept;
    }
}
