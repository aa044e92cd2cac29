namespace Metrics;

/// <summary>The tracks of one family's series, in the order the sampler first saw them.</summary>
internal sealed class FamilyTrack
{
    public FamilyTrack(MetricFamily family)
    {
        Family = family;
        if (family.Shape.HasNativeQuantiles)
        {
            NativeMaxBuckets = family.Shape.Native!.MaxBucketCount;
        }
        else if (family.Shape.Bounds is { } bounds)
        {
            UpperBounds = [.. bounds, double.PositiveInfinity];
        }
    }

    public MetricFamily Family { get; }

    /// <summary>
    /// A histogram's classic bucket bounds with <c>+Inf</c> last, as quantile estimation takes them; null for other
    /// types and for histograms whose quantiles come from native buckets.
    /// </summary>
    public double[]? UpperBounds { get; }

    public int BucketCount => UpperBounds?.Length ?? 0;

    /// <summary>
    /// The bucket limit of a histogram whose quantiles come from native buckets (see
    /// <see cref="FamilyShape.HasNativeQuantiles"/>), whose series keep a <see cref="NativeHistogramTrack"/>; 0 otherwise.
    /// </summary>
    public int NativeMaxBuckets { get; }

    public List<SeriesTrack> Series { get; } = [];
}
