using Metrics;

namespace Interop.Tests.RandomInput;

/// <summary>One family as the strict OpenMetrics parser must read it back: metadata and every sample, in order.</summary>
internal sealed class ExpectedFamily(string name, string type, string help, string? unit)
{
    private readonly List<ExpectedSample> _samples = [];
    private readonly List<(int Index, Func<MetricsSnapshot, double?> Value)> _fromSnapshot = [];

    /// <summary>The family name: for counters, without <c>_total</c>.</summary>
    public string Name { get; } = name;

    public string Type { get; } = type;

    public string Help { get; } = help;

    public string? Unit { get; } = unit;

    public IReadOnlyList<ExpectedSample> Samples => _samples;

    public void Add(string sampleName, SampleLabels labels, double value, ExpectedExemplar? exemplar) =>
        _samples.Add(new ExpectedSample(sampleName, labels, value, exemplar));

    /// <summary>
    /// Adds a sample whose value the library defines, read from the registry's snapshot by <see cref="Complete"/>;
    /// a null value there means OpenMetrics must leave the sample out.
    /// </summary>
    public void Add(string sampleName, SampleLabels labels, Func<MetricsSnapshot, double?> value)
    {
        _fromSnapshot.Add((_samples.Count, value));
        _samples.Add(new ExpectedSample(sampleName, labels, double.NaN, null));
    }

    public void Complete(MetricsSnapshot snapshot)
    {
        var absent = new HashSet<int>();
        foreach (var (index, value) in _fromSnapshot)
        {
            if (value(snapshot) is { } known)
            {
                _samples[index] = _samples[index] with { Value = known };
            }
            else
            {
                absent.Add(index);
            }
        }

        for (var index = _samples.Count - 1; index >= 0; index--)
        {
            if (absent.Contains(index))
            {
                _samples.RemoveAt(index);
            }
        }
    }
}

/// <summary>One sample, with the exemplar it must carry (null for none).</summary>
internal sealed record ExpectedSample(string Name, SampleLabels Labels, double Value, ExpectedExemplar? Exemplar);

/// <summary>An exemplar's labels and value.</summary>
internal sealed record ExpectedExemplar(IReadOnlyDictionary<string, string> Labels, double Value);
