using System.Globalization;

namespace Metrics;

/// <summary>
/// What makes a family itself: registering a name again with the same shape returns the existing family, and with a
/// different shape fails with a message that names the difference.
/// </summary>
internal sealed class FamilyShape(
    string name, string help, SeriesKind kind, string[] labelNames, double[]? bounds, string unit = "", SummaryLayout? summary = null)
{
    public string Name { get; } = name;

    public string Help { get; } = help;

    public SeriesKind Kind { get; } = kind;

    public string[] LabelNames { get; } = labelNames;

    public double[]? Bounds { get; } = bounds;

    /// <summary>The bucket search over <see cref="Bounds"/>, shared by every series of a histogram family.</summary>
    public BucketSearch? BucketSearch { get; } = bounds is null ? null : new BucketSearch(bounds);

    /// <summary>The OpenMetrics unit, empty for none.</summary>
    public string Unit { get; } = unit;

    /// <summary>The objectives and window of a summary; null for other kinds.</summary>
    public SummaryLayout? Summary { get; } = summary;

    /// <summary>For counters, the name without <c>_total</c>: the OpenMetrics family name.</summary>
    public string BaseName => Type == MetricType.Counter ? Name[..^"_total".Length] : Name;

    public MetricType Type => Kind switch
    {
        SeriesKind.Counter or SeriesKind.DoubleCounter or SeriesKind.CallbackCounter => MetricType.Counter,
        SeriesKind.Histogram => MetricType.Histogram,
        SeriesKind.Summary => MetricType.Summary,
        _ => MetricType.Gauge,
    };

    /// <summary>The sample names this family writes in any format; two families may never share one.</summary>
    public string[] SampleNames => Type switch
    {
        MetricType.Counter => [BaseName, Name, BaseName + "_created"],
        MetricType.Histogram => [Name, Name + "_bucket", Name + "_count", Name + "_sum", Name + "_created"],
        MetricType.Summary => [Name, Name + "_count", Name + "_sum", Name + "_created"],
        _ => [Name],
    };

    /// <summary>Null when <paramref name="other"/> has this shape; otherwise a sentence that names the difference.</summary>
    public string? DescribeConflict(FamilyShape other)
    {
        var prefix = $"Metric '{Name}' is already registered";
        if (Kind != other.Kind)
        {
            return $"{prefix} as {Describe(Kind)}; it cannot be registered again as {Describe(other.Kind)}.";
        }

        if (!string.Equals(Help, other.Help, StringComparison.Ordinal))
        {
            return $"{prefix} with help \"{Help}\"; it cannot be registered again with help \"{other.Help}\".";
        }

        if (!LabelNames.AsSpan().SequenceEqual(other.LabelNames))
        {
            return $"{prefix} with labels {List(LabelNames)}; it cannot be registered again with labels {List(other.LabelNames)}.";
        }

        if (Bounds is not null && other.Bounds is not null && !Bounds.AsSpan().SequenceEqual(other.Bounds))
        {
            return $"{prefix} with buckets {List(Bounds)}; it cannot be registered again with buckets {List(other.Bounds)}.";
        }

        if (!string.Equals(Unit, other.Unit, StringComparison.Ordinal))
        {
            return $"{prefix} with unit '{Unit}'; it cannot be registered again with unit '{other.Unit}'.";
        }

        if (Summary is not null && other.Summary is not null && !Summary.SameAs(other.Summary))
        {
            return $"{prefix} with objectives {Summary}; it cannot be registered again with objectives {other.Summary}.";
        }

        return null;
    }

    /// <summary>The kind in words, as conflict messages name it: "an integer counter", "a callback gauge", ….</summary>
    public static string Describe(SeriesKind kind) => kind switch
    {
        SeriesKind.Counter => "an integer counter",
        SeriesKind.DoubleCounter => "a double counter",
        SeriesKind.Gauge => "a gauge",
        SeriesKind.CallbackGauge => "a callback gauge",
        SeriesKind.Summary => "a summary",
        SeriesKind.CallbackCounter => "a callback counter",
        _ => "a histogram",
    };

    private static string List(string[] items) => "[" + string.Join(", ", items) + "]";

    private static string List(double[] items) =>
        "[" + string.Join(", ", Array.ConvertAll(items, static bound => bound.ToString(CultureInfo.InvariantCulture))) + "]";
}
