using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Metrics.Exposition.Protobuf;

/// <summary>
/// Writes protobuf fields into an <see cref="IBufferWriter{T}"/> a chunk at a time, allocating nothing. A nested
/// message is written as its header (<see cref="WriteMessageHeader"/>, which needs the content's length, computed
/// with <see cref="ProtobufEncoding"/>'s sizes) followed by its fields.
/// </summary>
/// <remarks>
/// Not a ref struct, for the reason <see cref="Utf8Sink"/> is not: the protobuf exposition writer, a series reader,
/// holds one as a field. Every field is written, zero values included: <c>io.prometheus.client</c> is a proto2 schema, where a set field
/// is present on the wire whatever its value, and Prometheus reads a zero the same either way. Call
/// <see cref="Flush"/> once at the end to commit the bytes to the output.
/// </remarks>
internal struct ProtobufWriter
{
    private Utf8Sink _sink;

    public ProtobufWriter(IBufferWriter<byte> output) => _sink = new Utf8Sink(output);

    /// <summary>Writes a field's tag.</summary>
    public void WriteTag(int fieldNumber, ProtobufWireType wireType) =>
        WriteVarint(ProtobufEncoding.Tag(fieldNumber, wireType));

    /// <summary>Writes a bare varint: a length, or the size prefix of a length-delimited stream's next message.</summary>
    public void WriteVarint(ulong value)
    {
        Span<byte> bytes = stackalloc byte[ProtobufEncoding.MaxVarintLength];
        _sink.Write(bytes[..ProtobufEncoding.WriteVarint(value, bytes)]);
    }

    /// <summary>Writes bytes as they are, such as a label pair encoded once and cached.</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes) => _sink.Write(bytes);

    /// <summary>Writes a <c>double</c> field.</summary>
    public void WriteDoubleField(int fieldNumber, double value)
    {
        WriteTag(fieldNumber, ProtobufWireType.Fixed64);
        Span<byte> bytes = stackalloc byte[ProtobufEncoding.Fixed64Length];
        BinaryPrimitives.WriteDoubleLittleEndian(bytes, value);
        _sink.Write(bytes);
    }

    /// <summary>Writes a <c>uint64</c>, <c>uint32</c>, <c>bool</c> or non-negative enum field.</summary>
    public void WriteUInt64Field(int fieldNumber, ulong value)
    {
        WriteTag(fieldNumber, ProtobufWireType.Varint);
        WriteVarint(value);
    }

    /// <summary>Writes an <c>int64</c> field, or an <c>int32</c> one, which the wire widens to 64 bits.</summary>
    public void WriteInt64Field(int fieldNumber, long value) => WriteUInt64Field(fieldNumber, (ulong)value);

    /// <summary>Writes a <c>sint32</c> field.</summary>
    public void WriteSInt32Field(int fieldNumber, int value) => WriteUInt64Field(fieldNumber, ProtobufEncoding.ZigZag(value));

    /// <summary>Writes a <c>sint64</c> field.</summary>
    public void WriteSInt64Field(int fieldNumber, long value) => WriteUInt64Field(fieldNumber, ProtobufEncoding.ZigZag(value));

    /// <summary>Writes a <c>string</c> field, encoding <paramref name="value"/> as UTF-8.</summary>
    public void WriteStringField(int fieldNumber, ReadOnlySpan<char> value)
    {
        WriteMessageHeader(fieldNumber, Encoding.UTF8.GetByteCount(value));
        _sink.WriteUtf8(value);
    }

    /// <summary>Writes a <c>bytes</c> field, or a <c>string</c> one already encoded as UTF-8.</summary>
    public void WriteBytesField(int fieldNumber, ReadOnlySpan<byte> value)
    {
        WriteMessageHeader(fieldNumber, value.Length);
        _sink.Write(value);
    }

    /// <summary>Writes the tag and length of a length-delimited field whose <paramref name="contentLength"/> bytes follow.</summary>
    public void WriteMessageHeader(int fieldNumber, int contentLength)
    {
        WriteTag(fieldNumber, ProtobufWireType.LengthDelimited);
        WriteVarint((uint)contentLength);
    }

    /// <summary>Writes a packed repeated <c>sint64</c> field; nothing when <paramref name="values"/> is empty.</summary>
    public void WritePackedSInt64Field(int fieldNumber, ReadOnlySpan<long> values)
    {
        if (values.IsEmpty)
        {
            return;
        }

        WriteMessageHeader(fieldNumber, ProtobufEncoding.PackedSInt64ContentLength(values));
        foreach (var value in values)
        {
            WriteVarint(ProtobufEncoding.ZigZag(value));
        }
    }

    /// <summary>Writes a repeated <c>sint64</c> field unpacked, one tagged value each, as proto2 does by default.</summary>
    public void WriteRepeatedSInt64Field(int fieldNumber, ReadOnlySpan<long> values)
    {
        foreach (var value in values)
        {
            WriteSInt64Field(fieldNumber, value);
        }
    }

    /// <summary>Commits what was written to the output.</summary>
    public void Flush() => _sink.Flush();
}
