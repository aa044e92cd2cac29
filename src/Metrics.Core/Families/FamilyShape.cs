using System.Globalization;

namespace Metrics;

/// <summary>
/// What makes a family itself: registering a name again with the same shape returns the existing family, and with a
/// different shape fails with a message that names the difference.
/// </summary>
internal sealed class FamilyShape(
    string name, string help, SeriesKind kind, string[] labelNames, double[]? bounds, string unit = "", SummaryLayout? summary = null,
    NativeHistogramOptions? native = null)
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

    /// <summary>The native bucket settings of a native histogram; null for other kinds.</summary>
    public NativeHistogramOptions? Native { get; } = native;

    /// <summary>
    /// Whether quantiles of this family's series come from native buckets: a native histogram without classic
    /// buckets. One with classic buckets is estimated from those, as a scraper that reads text sees it.
    /// </summary>
    public bool HasNativeQuantiles => Native is not null && Bounds is not { Length: > 0 };

    /// <summary>For counters, the name without <c>_total</c>: the OpenMetrics family name.</summary>
    public string BaseName => Kind.IsCounter ? MetricNames.WithoutCounterSuffix(Name) : Name;

    public MetricType Type => Kind.Type;

    /// <summary>The sample names this family writes in any format; two families may never share one.</summary>
    public string[] SampleNames => Kind.SampleNames(Name, BaseName);

    /// <summary>
    /// Checks what a caller asked to register and returns its shape: the metric and label names follow the naming
    /// rules, no label is the kind's reserved label, repeated or one of <paramref name="constantLabelNames"/>, and
    /// the unit of <paramref name="options"/> is the name's suffix. Errors name the parameters the registry's factories take.
    /// </summary>
    public static FamilyShape Create(
        string name, string help, SeriesKind kind, ReadOnlySpan<string> labelNames, string[] constantLabelNames,
        FamilyOptions? options, double[]? bounds = null, SummaryLayout? summary = null, NativeHistogramOptions? native = null)
    {
        MetricNames.ValidateMetricName(name, nameof(name));
        ArgumentNullException.ThrowIfNull(help);
        var names = ValidateLabelNames(name, kind, labelNames, constantLabelNames);
        var baseName = kind.IsCounter ? MetricNames.WithoutCounterSuffix(name) : name;
        return new FamilyShape(name, help, kind, names, bounds, ValidateUnit(name, baseName, options?.Unit, nameof(options)), summary, native);
    }

    /// <summary>Null when <paramref name="other"/> has this shape; otherwise a sentence that names the difference.</summary>
    public string? DescribeConflict(FamilyShape other)
    {
        var prefix = $"Metric '{Name}' is already registered";
        if (Kind != other.Kind)
        {
            return $"{prefix} as {Kind}; it cannot be registered again as {other.Kind}.";
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

        if (Native is not null && other.Native is not null && !Native.SameAs(other.Native))
        {
            return $"{prefix} with native buckets of {Native}; it cannot be registered again with native buckets of {other.Native}.";
        }

        return null;
    }

    private static string[] ValidateLabelNames(string name, SeriesKind kind, ReadOnlySpan<string> labelNames, string[] constantLabelNames)
    {
        var names = labelNames.ToArray();
        for (var i = 0; i < names.Length; i++)
        {
            MetricNames.ValidateLabelName(names[i], nameof(labelNames));
            if (names[i] == kind.ReservedLabel)
            {
                throw new ArgumentException($"Invalid label name '{names[i]}': it is reserved for {kind.ReservedFor}.", nameof(labelNames));
            }

            if (Array.IndexOf(names, names[i], 0, i) >= 0)
            {
                throw new ArgumentException($"Invalid label names: '{names[i]}' appears more than once; label names must be distinct.", nameof(labelNames));
            }

            if (Array.IndexOf(constantLabelNames, names[i]) >= 0)
            {
                throw new ArgumentException(
                    $"Invalid label name '{names[i]}' for metric '{name}': the registry's constant label '{names[i]}' already gives every series that label.",
                    nameof(labelNames));
            }
        }

        return names;
    }

    /// <summary>
    /// Checks an OpenMetrics unit: made of name characters, and the suffix of the family's OpenMetrics name
    /// <paramref name="baseName"/>, as OpenMetrics requires. Returns it, or empty for none.
    /// </summary>
    private static string ValidateUnit(string name, string baseName, string? unit, string parameterName)
    {
        if (string.IsNullOrEmpty(unit))
        {
            return "";
        }

        if (!MetricNames.IsValidMetricName(unit) && !MetricNames.IsValidMetricName("_" + unit))
        {
            throw new ArgumentException(
                $"Invalid unit '{unit}': a unit must consist of the characters [a-zA-Z0-9_:] that metric names use.", parameterName);
        }

        if (!baseName.EndsWith("_" + unit, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"Invalid unit '{unit}' for metric '{name}': OpenMetrics requires the unit to be the suffix of the metric name, so the name must end with '_{unit}'{(baseName == name ? "" : " before '_total'")}.",
                parameterName);
        }

        return unit;
    }

    private static string List(string[] items) => "[" + string.Join(", ", items) + "]";

    private static string List(double[] items) =>
        "[" + string.Join(", ", Array.ConvertAll(items, static bound => bound.ToString(CultureInfo.InvariantCulture))) + "]";
}
