namespace Metrics;

/// <summary>
/// The labels a registry puts on every series of every family (<see cref="MetricRegistryOptions.ConstantLabels"/>),
/// sorted by name, and written after each family's own labels.
/// </summary>
internal sealed class ConstantLabels
{
    public static readonly ConstantLabels None = new([], []);

    private ConstantLabels(string[] names, string[] values)
    {
        Names = names;
        Values = values;
    }

    public string[] Names { get; }

    public string[] Values { get; }

    /// <summary>Checks <paramref name="labels"/> (null for none) and returns a private, sorted copy.</summary>
    public static ConstantLabels Create(IReadOnlyDictionary<string, string>? labels, string parameterName)
    {
        if (labels is null || labels.Count == 0)
        {
            return None;
        }

        var names = new string[labels.Count];
        var values = new string[labels.Count];
        var i = 0;
        foreach (var (name, value) in labels)
        {
            MetricNames.ValidateLabelName(name, parameterName);
            if (name == Histogram.Kind.ReservedLabel || name == Summary.Kind.ReservedLabel)
            {
                throw new ArgumentException(
                    $"Invalid constant label '{name}': histograms and summaries write a label of that name on their own samples.", parameterName);
            }

            RegistrySelfMetrics.ValidateConstantLabel(name, parameterName);
            names[i] = name;
            values[i++] = value ?? throw new ArgumentException($"Invalid constant label '{name}': its value is null.", parameterName);
        }

        Array.Sort(names, values, StringComparer.Ordinal);
        return new ConstantLabels(names, values);
    }

    /// <summary>A family's own label names followed by the constant ones: the names its series are exposed with.</summary>
    public string[] AppendNames(string[] own) => Names.Length == 0 ? own : [.. own, .. Names];

    /// <summary>A series' own label values followed by the constant ones, in the order of <see cref="AppendNames"/>.</summary>
    public string[] AppendValues(string[] own) => Values.Length == 0 ? own : [.. own, .. Values];
}
