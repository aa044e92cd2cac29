namespace Interop.Tests.RandomInput;

/// <summary>
/// The labels of one expected sample: the series' own label names and values, plus for a histogram bucket or a
/// summary quantile the <c>le</c> or <c>quantile</c> bound, kept as a number so it is compared by value.
/// </summary>
internal sealed class SampleLabels(string[] names, string[] values, (string Name, double Value)? bound = null)
{
    public static SampleLabels Empty { get; } = new([], []);

    public string[] Names { get; } = names;

    public string[] Values { get; } = values;

    public (string Name, double Value)? Bound { get; } = bound;

    public int Count => Names.Length + (Bound is null ? 0 : 1);

    /// <summary>These labels plus the bound <paramref name="name"/>=<paramref name="value"/>.</summary>
    public SampleLabels With(string name, double value) => new(Names, Values, (name, value));

    public override string ToString() =>
        "{" + string.Join(",", Names.Select((name, i) => $"{name}=\"{Escape(Values[i])}\"")
            .Concat(Bound is { } bound ? [$"{bound.Name}={bound.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}"] : [])) + "}";

    private static string Escape(string value) =>
        System.Text.Json.JsonEncodedText.Encode(value, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();
}
