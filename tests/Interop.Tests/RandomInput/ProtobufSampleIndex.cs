using System.Globalization;
using System.Text.Json;
using Metrics.Testing;

namespace Interop.Tests.RandomInput;

/// <summary>
/// The decoded protobuf exposition turned into the samples a scraper derives from it, keyed by sample name and
/// labels: a counter's or gauge's value; a histogram's buckets (the <c>+Inf</c> one from <c>sample_count</c>),
/// <c>_count</c> and <c>_sum</c>; a summary's quantiles, <c>_count</c> and <c>_sum</c>. Each keeps the exemplar the
/// message carried beside it. Native histogram messages are kept whole, by family name and labels.
/// </summary>
internal sealed class ProtobufSampleIndex
{
    private readonly Dictionary<string, (double Value, JsonElement? Exemplar)> _samples = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonElement> _histograms = new(StringComparer.Ordinal);

    public ProtobufSampleIndex(JsonElement families)
    {
        foreach (var family in families.EnumerateArray())
        {
            FamilyCount++;
            var name = family.TryGetProperty("name", out var n) ? n.GetString()! : "";
            var type = family.TryGetProperty("type", out var t) ? t.GetInt32() : 0;
            if (!family.TryGetProperty("metric", out var metrics))
            {
                continue;
            }

            foreach (var metric in metrics.EnumerateArray())
            {
                Index(name, type, metric);
            }
        }
    }

    public int FamilyCount { get; }

    public bool TryGet(string name, SampleLabels labels, out double value, out JsonElement? exemplar)
    {
        var found = _samples.TryGetValue(Key(name, labels.Names, labels.Values, labels.Bound), out var sample);
        (value, exemplar) = sample;
        return found;
    }

    public bool TryGetHistogram(string familyName, SampleLabels labels, out JsonElement histogram) =>
        _histograms.TryGetValue(Key(familyName, labels.Names, labels.Values, null), out histogram);

    private void Index(string name, int type, JsonElement metric)
    {
        var names = new List<string>();
        var values = new List<string>();
        if (metric.TryGetProperty("label", out var labels))
        {
            foreach (var label in labels.EnumerateArray())
            {
                names.Add(label.TryGetProperty("name", out var labelName) ? labelName.GetString()! : "");
                values.Add(label.TryGetProperty("value", out var labelValue) ? labelValue.GetString()! : "");
            }
        }

        string[] n = [.. names], v = [.. values];
        switch (type)
        {
            case 0:
                var counter = metric.GetProperty("counter");
                Add(Key(name, n, v, null), counter.GetProperty("value"), counter.TryGetProperty("exemplar", out var e) ? e : null);
                break;
            case 1:
                Add(Key(name, n, v, null), metric.GetProperty("gauge").GetProperty("value"), null);
                break;
            case 2:
                var summary = metric.GetProperty("summary");
                if (summary.TryGetProperty("quantile", out var quantiles))
                {
                    foreach (var quantile in quantiles.EnumerateArray())
                    {
                        Add(Key(name, n, v, ("quantile", ClientModelDecoder.DoubleOf(quantile.GetProperty("quantile")))), quantile.GetProperty("value"), null);
                    }
                }

                AddTotals(name, n, v, summary);
                break;
            case 4:
                var histogram = metric.GetProperty("histogram");
                _histograms[Key(name, n, v, null)] = histogram;
                if (histogram.TryGetProperty("bucket", out var buckets))
                {
                    foreach (var bucket in buckets.EnumerateArray())
                    {
                        var bound = ClientModelDecoder.DoubleOf(bucket.GetProperty("upper_bound"));
                        _samples[Key(name + "_bucket", n, v, ("le", bound))] =
                            (bucket.GetProperty("cumulative_count").GetInt64(), bucket.TryGetProperty("exemplar", out var be) ? be : null);
                    }
                }

                var infinity = Key(name + "_bucket", n, v, ("le", double.PositiveInfinity));
                _samples[infinity] = (Count(histogram), _samples.TryGetValue(infinity, out var listed) ? listed.Exemplar : null);
                AddTotals(name, n, v, histogram);
                break;
        }
    }

    private void AddTotals(string name, string[] names, string[] values, JsonElement message)
    {
        _samples[Key(name + "_count", names, values, null)] = (Count(message), null);
        Add(Key(name + "_sum", names, values, null), message.GetProperty("sample_sum"), null);
    }

    private void Add(string key, JsonElement hexBits, JsonElement? exemplar) => _samples[key] = (ClientModelDecoder.DoubleOf(hexBits), exemplar);

    private static long Count(JsonElement message) => message.TryGetProperty("sample_count", out var count) ? count.GetInt64() : 0;

    private static string Key(string name, string[] names, string[] values, (string Name, double Value)? bound) =>
        name + "\u0001" + string.Join("\u0002", names.Select((label, i) => label + "=" + values[i]))
        + (bound is { } b ? "\u0001" + b.Name + "=" + BitConverter.DoubleToInt64Bits(b.Value).ToString(CultureInfo.InvariantCulture) : "");
}
