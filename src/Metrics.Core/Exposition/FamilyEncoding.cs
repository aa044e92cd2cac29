using System.Text;

namespace Metrics.Exposition;

/// <summary>
/// The UTF-8 bytes of a family's names, metadata lines and <c>le</c> labels, built once per family on its first
/// scrape so later scrapes only copy them.
/// </summary>
internal sealed class FamilyEncoding
{
    public FamilyEncoding(MetricFamily family)
    {
        var shape = family.Shape;
        SampleName = Utf8(shape.Name);
        TextHeader = Utf8(TextMetadata(shape));
        OpenMetricsHeader = Utf8(OpenMetricsMetadata(shape));
        if (shape.Bounds is { } bounds)
        {
            BucketName = Utf8(shape.Name + "_bucket");
            CountName = Utf8(shape.Name + "_count");
            SumName = Utf8(shape.Name + "_sum");
            TextBucketLabels = BucketLabels(bounds, FloatFormatter.Format);
            OpenMetricsBucketLabels = BucketLabels(bounds, FloatFormatter.FormatCanonical);
            HasNegativeBuckets = bounds[0] < 0;
        }
    }

    /// <summary>The sample name of counters and gauges, and the base of histogram sample names.</summary>
    public byte[] SampleName { get; }

    /// <summary><c># HELP</c> and <c># TYPE</c> lines in Prometheus text format 0.0.4.</summary>
    public byte[] TextHeader { get; }

    /// <summary><c># TYPE</c> and <c># HELP</c> lines in OpenMetrics 1.0.0, where counters are named without <c>_total</c>.</summary>
    public byte[] OpenMetricsHeader { get; }

    public byte[] BucketName { get; } = [];

    public byte[] CountName { get; } = [];

    public byte[] SumName { get; } = [];

    /// <summary><c>le="…"</c> for each bucket, <c>+Inf</c> last, in the 0.0.4 form Prometheus's Go clients write.</summary>
    public byte[][] TextBucketLabels { get; } = [];

    /// <summary><c>le="…"</c> for each bucket in OpenMetrics' canonical form: <c>1.0</c> rather than <c>1</c>.</summary>
    public byte[][] OpenMetricsBucketLabels { get; } = [];

    /// <summary>Whether the lowest bound is negative, in which case OpenMetrics forbids <c>_sum</c>.</summary>
    public bool HasNegativeBuckets { get; }

    private static string TextMetadata(FamilyShape shape)
    {
        var type = shape.Type.ToString().ToLowerInvariant();
        var typeLine = $"# TYPE {shape.Name} {type}\n";
        return shape.Help.Length == 0
            ? typeLine
            : $"# HELP {shape.Name} {LabelEncoding.EscapeHelp(shape.Help, escapeQuotes: false)}\n{typeLine}";
    }

    private static string OpenMetricsMetadata(FamilyShape shape)
    {
        var type = shape.Type.ToString().ToLowerInvariant();
        var typeLine = $"# TYPE {shape.BaseName} {type}\n";
        return shape.Help.Length == 0
            ? typeLine
            : $"{typeLine}# HELP {shape.BaseName} {LabelEncoding.EscapeHelp(shape.Help, escapeQuotes: true)}\n";
    }

    private static byte[][] BucketLabels(double[] bounds, FloatFormat format)
    {
        var labels = new byte[bounds.Length + 1][];
        Span<byte> number = stackalloc byte[FloatFormatter.MaxLength];
        for (var i = 0; i < bounds.Length; i++)
        {
            var length = format(bounds[i], number);
            labels[i] = [.. "le=\""u8, .. number[..length], (byte)'"'];
        }

        labels[bounds.Length] = "le=\"+Inf\""u8.ToArray();
        return labels;
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private delegate int FloatFormat(double value, Span<byte> destination);
}
