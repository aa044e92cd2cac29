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
        CreatedName = Utf8(shape.BaseName + "_created");
        ProtobufHeader = Protobuf.ProtobufMetadata.EncodeFamilyHeader(shape);
        if (shape.Bounds is not null || shape.Summary is not null)
        {
            CountName = Utf8(shape.Name + "_count");
            SumName = Utf8(shape.Name + "_sum");
        }

        if (shape.Bounds is { } bounds)
        {
            BucketName = Utf8(shape.Name + "_bucket");
            TextBucketLabels = BucketLabels(bounds, FloatFormatter.Format);
            OpenMetricsBucketLabels = BucketLabels(bounds, FloatFormatter.FormatCanonical);
            HasNegativeBuckets = bounds.Length > 0 && bounds[0] < 0;
        }

        if (shape.Summary is { } summary)
        {
            TextQuantileLabels = NumberLabels("quantile", summary.Quantiles, FloatFormatter.Format);
            OpenMetricsQuantileLabels = NumberLabels("quantile", summary.Quantiles, FloatFormatter.FormatCanonical);
        }
    }

    /// <summary>The sample name of counters and gauges, and the base of histogram sample names.</summary>
    public byte[] SampleName { get; }

    /// <summary><c># HELP</c> and <c># TYPE</c> lines in Prometheus text format 0.0.4.</summary>
    public byte[] TextHeader { get; }

    /// <summary>
    /// <c># TYPE</c>, <c># UNIT</c> and <c># HELP</c> lines in OpenMetrics 1.0.0, in that order, where counters are
    /// named without <c>_total</c>.
    /// </summary>
    public byte[] OpenMetricsHeader { get; }

    /// <summary>The name, help, type and unit fields of the protobuf <c>MetricFamily</c> message.</summary>
    public byte[] ProtobufHeader { get; }

    /// <summary>The name of the OpenMetrics <c>_created</c> sample: for counters, the name without <c>_total</c> plus <c>_created</c>.</summary>
    public byte[] CreatedName { get; }

    public byte[] BucketName { get; } = [];

    public byte[] CountName { get; } = [];

    public byte[] SumName { get; } = [];

    /// <summary><c>le="…"</c> for each bucket, <c>+Inf</c> last, in the 0.0.4 form Prometheus's Go clients write.</summary>
    public byte[][] TextBucketLabels { get; } = [];

    /// <summary><c>le="…"</c> for each bucket in OpenMetrics' canonical form: <c>1.0</c> rather than <c>1</c>.</summary>
    public byte[][] OpenMetricsBucketLabels { get; } = [];

    /// <summary><c>quantile="…"</c> for each objective of a summary, in the 0.0.4 form.</summary>
    public byte[][] TextQuantileLabels { get; } = [];

    /// <summary><c>quantile="…"</c> for each objective of a summary, in OpenMetrics' canonical form.</summary>
    public byte[][] OpenMetricsQuantileLabels { get; } = [];

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
        var lines = $"# TYPE {shape.BaseName} {type}\n";
        if (shape.Unit.Length > 0)
        {
            lines += $"# UNIT {shape.BaseName} {shape.Unit}\n";
        }

        return shape.Help.Length == 0
            ? lines
            : $"{lines}# HELP {shape.BaseName} {LabelEncoding.EscapeHelp(shape.Help, escapeQuotes: true)}\n";
    }

    private static byte[][] BucketLabels(double[] bounds, FloatFormat format) =>
        [.. NumberLabels("le", bounds, format), "le=\"+Inf\""u8.ToArray()];

    private static byte[][] NumberLabels(string name, double[] values, FloatFormat format)
    {
        var labels = new byte[values.Length][];
        Span<byte> number = stackalloc byte[FloatFormatter.MaxLength];
        for (var i = 0; i < values.Length; i++)
        {
            var length = format(values[i], number);
            labels[i] = [.. Utf8(name), (byte)'=', (byte)'"', .. number[..length], (byte)'"'];
        }

        return labels;
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private delegate int FloatFormat(double value, Span<byte> destination);
}
