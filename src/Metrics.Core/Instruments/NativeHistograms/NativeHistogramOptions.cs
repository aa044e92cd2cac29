namespace Metrics;

/// <summary>
/// How a native histogram chooses its buckets and keeps their number bounded, and whether it is also exposed with
/// classic buckets. The defaults are client_golang's recommended ones: bucket factor 1.1 (schema 3, eight buckets
/// per power of two), zero threshold 2^-128, at most 160 buckets, and resolution halving as the only reduction.
/// </summary>
/// <remarks>
/// <para>
/// When an observation needs a new bucket and the histogram already holds <see cref="MaxBucketCount"/> buckets
/// (positive and negative together; the zero bucket does not count), the reduction strategy runs before the bucket
/// is added, in this order:
/// </para>
/// <list type="number">
/// <item>Reset: if <see cref="MinResetDuration"/> is positive and at least that long has passed since the histogram
/// was created or last reset, every count starts again from zero (a counter reset for Prometheus) and the schema and
/// zero threshold return to their initial values.</item>
/// <item>Widen the zero bucket: if <see cref="MaxZeroThreshold"/> is above the current zero threshold, the bucket
/// closest to zero (on both sides) is merged into the zero bucket, whose threshold becomes that bucket's upper bound,
/// as long as it stays within <see cref="MaxZeroThreshold"/>.</item>
/// <item>Halve the resolution: the schema drops by one and each pair of neighbouring buckets becomes one.</item>
/// </list>
/// <para>
/// Steps 2 and 3 repeat until the new bucket fits, so the limit always holds. Only if schema -4 is reached and the
/// buckets still do not fit (possible only with observations spread over most of the double range) is the zero
/// bucket widened past <see cref="MaxZeroThreshold"/>, so that memory stays bounded whatever is observed.
/// </para>
/// </remarks>
public sealed class NativeHistogramOptions
{
    /// <summary>The default <see cref="BucketFactor"/>.</summary>
    public const double DefaultBucketFactor = 1.1;

    /// <summary>The default <see cref="MaxBucketCount"/>, the native histograms specification's suggestion.</summary>
    public const int DefaultMaxBucketCount = 160;

    /// <summary>The largest <see cref="MaxBucketCount"/> accepted.</summary>
    public const int MaxBucketCountLimit = 1 << 14;

    /// <summary>The default <see cref="MaxExemplars"/>.</summary>
    public const int DefaultMaxExemplars = 10;

    /// <summary>
    /// The largest growth factor allowed from one bucket boundary to the next; the schema is the largest whose
    /// factor <c>2^(2^-schema)</c> does not exceed it (see <see cref="NativeHistogramSchema.FromBucketFactor"/>).
    /// </summary>
    public double BucketFactor { get; init; } = DefaultBucketFactor;

    /// <summary>
    /// Observations whose absolute value is at most this go into the zero bucket. Zero makes the zero bucket hold
    /// exactly zero only. Best on a power of two, which is a bucket boundary in every schema.
    /// </summary>
    public double ZeroThreshold { get; init; } = NativeHistogramSchema.DefaultZeroThreshold;

    /// <summary>The most buckets the histogram holds at once; reaching it starts the reduction strategy.</summary>
    public int MaxBucketCount { get; init; } = DefaultMaxBucketCount;

    /// <summary>The least time between resets by the reduction strategy; zero (the default) never resets.</summary>
    public TimeSpan MinResetDuration { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// How far the reduction strategy may widen the zero bucket; at or below <see cref="ZeroThreshold"/> (the
    /// default, zero) it never widens it, and halving the resolution is the strategy.
    /// </summary>
    public double MaxZeroThreshold { get; init; }

    /// <summary>How many of the latest exemplars the histogram keeps; zero keeps none.</summary>
    public int MaxExemplars { get; init; } = DefaultMaxExemplars;

    /// <summary>Whether an observation made inside a sampled <see cref="System.Diagnostics.Activity"/> records its trace as an exemplar.</summary>
    public bool RecordActivityExemplars { get; init; }

    /// <summary>
    /// Classic bucket bounds to expose the histogram with as well (finite, strictly increasing; <c>+Inf</c> is
    /// implicit), or null (the default) for a native-only histogram. With them, the text and OpenMetrics formats
    /// show these buckets while the protobuf format carries both, so scrapers that read only text keep their
    /// buckets and Prometheus with native histograms enabled gets the native ones. Without them, the text formats
    /// show the histogram as <c>_bucket{le="+Inf"}</c>, <c>_sum</c> and <c>_count</c> only.
    /// </summary>
    public IReadOnlyList<double>? ClassicBuckets { get; init; }

    /// <summary>The schema <see cref="BucketFactor"/> gives.</summary>
    internal int Schema => NativeHistogramSchema.FromBucketFactor(BucketFactor);

    /// <summary>Checks every option but <see cref="ClassicBuckets"/>, naming the first that is out of range and the rule it breaks.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    internal void Validate()
    {
        _ = Schema;
        if (!double.IsFinite(ZeroThreshold) || ZeroThreshold < 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(ZeroThreshold), ZeroThreshold, $"Invalid native histogram zero threshold {ZeroThreshold}: it must be finite and not negative.");
        }

        if (MaxBucketCount < 1 || MaxBucketCount > MaxBucketCountLimit)
        {
            throw new ArgumentOutOfRangeException(
                nameof(MaxBucketCount), MaxBucketCount, $"Invalid native histogram bucket limit {MaxBucketCount}: it must be between 1 and {MaxBucketCountLimit}.");
        }

        if (MinResetDuration < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(
                nameof(MinResetDuration), MinResetDuration, $"Invalid native histogram minimum reset duration {MinResetDuration}: it must not be negative.");
        }

        if (double.IsNaN(MaxZeroThreshold) || MaxZeroThreshold < 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(MaxZeroThreshold), MaxZeroThreshold, $"Invalid native histogram maximum zero threshold {MaxZeroThreshold}: it must not be negative.");
        }

        if (MaxExemplars < 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(MaxExemplars), MaxExemplars, $"Invalid native histogram exemplar count {MaxExemplars}: it must not be negative.");
        }
    }

    /// <summary>Whether <paramref name="other"/> makes the same native buckets; the classic buckets are compared as a family's bounds.</summary>
    internal bool SameAs(NativeHistogramOptions other) =>
        Schema == other.Schema
        && ZeroThreshold.Equals(other.ZeroThreshold)
        && MaxBucketCount == other.MaxBucketCount
        && MinResetDuration == other.MinResetDuration
        && MaxZeroThreshold.Equals(other.MaxZeroThreshold)
        && MaxExemplars == other.MaxExemplars
        && RecordActivityExemplars == other.RecordActivityExemplars;

    /// <summary>The native settings in words, as conflict messages name them.</summary>
    public override string ToString() =>
        string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"schema {Schema}, zero threshold {ZeroThreshold}, at most {MaxBucketCount} buckets, minimum reset duration {MinResetDuration}, maximum zero threshold {MaxZeroThreshold}, {MaxExemplars} exemplars{(RecordActivityExemplars ? " with activity exemplars" : "")}");
}
