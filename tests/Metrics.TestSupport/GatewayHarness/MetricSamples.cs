using System.Globalization;
using System.Text.Json;

namespace Metrics.Testing.GatewayHarness;

/// <summary>A scrape as the strict OpenMetrics parser read it, with lookups by sample name and exact label set.</summary>
internal sealed class MetricSamples
{
    private readonly List<Sample> _samples;

    private MetricSamples(List<Sample> samples) => _samples = samples;

    public static MetricSamples Parse(string openMetrics)
    {
        using var parsed = OpenMetricsParser.Parse(openMetrics);
        var root = parsed.RootElement;
        root.GetProperty("ok").GetBoolean().ShouldBeTrue(root.TryGetProperty("error", out var error) ? error.GetString() : "parser failed");
        var samples = new List<Sample>();
        foreach (var family in root.GetProperty("families").EnumerateArray())
        {
            foreach (var sample in family.GetProperty("samples").EnumerateArray())
            {
                var labels = sample.GetProperty("labels").EnumerateObject().ToDictionary(label => label.Name, label => label.Value.GetString()!);
                var value = sample.GetProperty("value");
                samples.Add(new Sample(
                    sample.GetProperty("name").GetString()!,
                    labels,
                    value.ValueKind == JsonValueKind.Number ? value.GetDouble() : double.Parse(value.GetString()!.Replace("+Inf", "Infinity", StringComparison.Ordinal), CultureInfo.InvariantCulture)));
            }
        }

        return new MetricSamples(samples);
    }

    /// <summary>The value of the sample with exactly these labels; fails the test when there is none.</summary>
    public double Value(string name, params (string Label, string Value)[] labels) =>
        Find(name, labels) ?? throw new AssertionException(
            $"No sample {name}{{{string.Join(",", labels.Select(label => $"{label.Label}=\"{label.Value}\""))}}}; samples named {name}:\n  "
            + string.Join("\n  ", Named(name).Select(sample => string.Join(",", sample.Labels.Select(label => $"{label.Key}={label.Value}")) + " " + sample.Value)));

    public double? Find(string name, params (string Label, string Value)[] labels)
    {
        foreach (var sample in _samples)
        {
            if (sample.Name == name && sample.Labels.Count == labels.Length && labels.All(label => sample.Labels.TryGetValue(label.Label, out var value) && value == label.Value))
            {
                return sample.Value;
            }
        }

        return null;
    }

    public IEnumerable<Sample> Named(string name) => _samples.Where(sample => sample.Name == name);

    /// <summary>The sum of every sample named <paramref name="name"/>.</summary>
    public double Sum(string name) => Named(name).Sum(sample => sample.Value);

    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
}
