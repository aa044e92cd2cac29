using System.Buffers;

namespace Metrics.Exposition.Protobuf;

/// <summary>
/// The protobuf bytes a scrape copies rather than encodes: a family's name, help, type and unit fields, and a
/// series' label pairs, each built once and cached beside the text formats' bytes.
/// </summary>
internal static class ProtobufMetadata
{
    /// <summary>
    /// The fields of a <c>MetricFamily</c> before its metrics: the name (counters keep <c>_total</c>, as
    /// client_golang sends them), the help text unescaped, the type, and the unit when there is one.
    /// </summary>
    public static byte[] EncodeFamilyHeader(FamilyShape shape)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new ProtobufWriter(output);
        writer.WriteStringField(ClientModelFields.MetricFamily.Name, shape.Name);
        writer.WriteStringField(ClientModelFields.MetricFamily.Help, shape.Help);
        writer.WriteUInt64Field(ClientModelFields.MetricFamily.Type, (ulong)TypeOf(shape.Type));
        if (shape.Unit.Length > 0)
        {
            writer.WriteStringField(ClientModelFields.MetricFamily.Unit, shape.Unit);
        }

        writer.Flush();
        return output.WrittenSpan.ToArray();
    }

    /// <summary>The <c>label</c> fields of a <c>Metric</c>: one <c>LabelPair</c> message per name and value.</summary>
    public static byte[] EncodeLabels(string[] names, string[] values)
    {
        if (names.Length == 0)
        {
            return [];
        }

        var output = new ArrayBufferWriter<byte>();
        var writer = new ProtobufWriter(output);
        for (var i = 0; i < names.Length; i++)
        {
            writer.WriteMessageHeader(ClientModelFields.Metric.Label, LabelPairLength(names[i], values[i]));
            writer.WriteStringField(ClientModelFields.LabelPair.Name, names[i]);
            writer.WriteStringField(ClientModelFields.LabelPair.Value, values[i]);
        }

        writer.Flush();
        return output.WrittenSpan.ToArray();
    }

    /// <summary>The bytes of a <c>LabelPair</c> message's content.</summary>
    public static int LabelPairLength(string name, string value) =>
        ProtobufEncoding.StringFieldLength(ClientModelFields.LabelPair.Name, name)
        + ProtobufEncoding.StringFieldLength(ClientModelFields.LabelPair.Value, value);

    private static int TypeOf(MetricType type) => type switch
    {
        MetricType.Counter => ClientModelFields.MetricType.Counter,
        MetricType.Gauge => ClientModelFields.MetricType.Gauge,
        MetricType.Histogram => ClientModelFields.MetricType.Histogram,
        MetricType.Summary => ClientModelFields.MetricType.Summary,
        _ => ClientModelFields.MetricType.Untyped,
    };
}
