namespace Metrics;

/// <summary>The tracks of one family's series, in the order the sampler first saw them.</summary>
internal sealed class FamilyTrack
{
    public FamilyTrack(MetricFamily family)
    {
        Family = family;
        if (family.Shape.Bounds is { } bounds)
        {
            UpperBounds = [.. bounds, double.PositiveInfinity];
        }
    }

    public MetricFamily Family { get; }

    /// <summary>A histogram's bucket bounds with <c>+Inf</c> last, as quantile estimation takes them; null otherwise.</summary>
    public double[]? UpperBounds { get; }

    public int BucketCount => UpperBounds?.Length ?? 0;

    public List<SeriesTrack> Series { get; } = [];
}
