namespace Metrics;

/// <summary>
/// The bucket arithmetic of Prometheus native histograms. A schema <c>s</c> from -4 to 8 divides every power of
/// two into <c>2^s</c> exponential buckets (or, below zero, joins <c>2^-s</c> powers of two into one); bucket
/// <c>i</c> of a positive value holds <c>(b^(i-1), b^i]</c> with <c>b = 2^(2^-s)</c>, so 1 is always the upper
/// bound of bucket 0 and every upper bound is inclusive. Negative values use the same indexes on their absolute value.
/// </summary>
/// <remarks>
/// The index follows Prometheus exactly: <c>frexp</c> splits a value into a fraction in [0.5, 1) and an exponent;
/// above schema 0 the fraction is placed among Prometheus's boundary table, and at or below it the exponent is
/// shifted. <c>+Inf</c> has a bucket of its own, one above the bucket of <see cref="double.MaxValue"/>, whose upper
/// bound is therefore <see cref="double.MaxValue"/> rather than the <c>+Inf</c> the formula would give.
/// </remarks>
internal static class NativeHistogramSchema
{
    /// <summary>The coarsest schema: each bucket spans a factor of 2^16.</summary>
    public const int Min = -4;

    /// <summary>The finest schema: each bucket spans a factor of 2^(1/256), about 1.0027.</summary>
    public const int Max = 8;

    /// <summary>The default zero threshold, 2^-128: a bucket boundary in every schema, and far below any measurement.</summary>
    public const double DefaultZeroThreshold = 2.938735877055719e-39;

    /// <summary>
    /// The largest schema whose growth factor <c>2^(2^-s)</c> does not exceed <paramref name="bucketFactor"/>,
    /// clamped to -4 … 8 (so a factor below 2^(2^-8), about 1.00271, still gets schema 8). 1.1 gives schema 3.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The factor is not finite or not greater than 1.</exception>
    public static int FromBucketFactor(double bucketFactor)
    {
        if (!double.IsFinite(bucketFactor) || bucketFactor <= 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(bucketFactor), bucketFactor, $"Invalid native histogram bucket factor {bucketFactor}: it must be finite and greater than 1.");
        }

        var floor = Math.Floor(Math.Log2(Math.Log2(bucketFactor)));
        return floor <= -Max ? Max : floor >= -Min ? Min : -(int)floor;
    }

    /// <summary>The growth factor from one bucket boundary to the next: <c>2^(2^-schema)</c>.</summary>
    public static double GrowthFactor(int schema) => Math.Pow(2, Math.Pow(2, -schema));

    /// <summary>The index of the bucket holding <paramref name="magnitude"/>, a value above zero (<c>+Inf</c> included).</summary>
    public static int BucketIndex(double magnitude, int schema) =>
        NativeBucketIndexer.For(schema).IndexOfMagnitudeBits(BitConverter.DoubleToInt64Bits(magnitude));

    /// <summary>
    /// The inclusive upper bound of bucket <paramref name="index"/>: <see cref="double.MaxValue"/> for the bucket
    /// just below the <c>+Inf</c> bucket, and <c>+Inf</c> for that one.
    /// </summary>
    public static double UpperBound(int index, int schema)
    {
        if (schema < 0)
        {
            var power = index << -schema;
            return power == 1024 ? double.MaxValue : Math.ScaleB(1, power);
        }

        var fraction = NativeHistogramBounds.ForSchema(schema)[index & ((1 << schema) - 1)];
        var exponent = (index >> schema) + 1;
        return fraction == 0.5 && exponent == 1025 ? double.MaxValue : Math.ScaleB(fraction, exponent);
    }

    /// <summary>The exclusive lower bound of bucket <paramref name="index"/>: the upper bound of the bucket below.</summary>
    public static double LowerBound(int index, int schema) => UpperBound(index - 1, schema);

    /// <summary>
    /// The index, in the coarser <paramref name="toSchema"/>, of the bucket that contains bucket
    /// <paramref name="index"/> of <paramref name="fromSchema"/>: <c>ceil(index / 2^(from - to))</c>.
    /// </summary>
    public static int CoarserIndex(int index, int fromSchema, int toSchema) =>
        ((index - 1) >> (fromSchema - toSchema)) + 1;
}
