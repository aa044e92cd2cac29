using System.Text;

namespace Metrics.Exposition.Protobuf;

/// <summary>
/// The protobuf wire encoding (protobuf.dev, "Encoding"): varints, zigzag for <c>sint32</c>/<c>sint64</c>, tags, and
/// the encoded size of every field kind, so a writer can give a nested message its length before writing it.
/// </summary>
/// <remarks>
/// A varint holds seven bits per byte, least significant group first, with the high bit set on every byte but the
/// last; a <c>uint64</c> takes at most ten bytes. <c>int32</c> and <c>int64</c> are written as their 64-bit two's
/// complement, so a negative one always takes ten bytes; <c>sint32</c> and <c>sint64</c> zigzag first (0, -1, 1,
/// -2 … become 0, 1, 2, 3 …), so small negative numbers stay short. A tag is the varint
/// <c>field number × 8 + wire type</c>.
/// </remarks>
internal static class ProtobufEncoding
{
    /// <summary>The most bytes a varint takes.</summary>
    public const int MaxVarintLength = 10;

    /// <summary>The bytes of a <c>double</c> or other fixed64 value.</summary>
    public const int Fixed64Length = 8;

    /// <summary>Writes <paramref name="value"/> as a varint into <paramref name="destination"/> and returns how many bytes it took.</summary>
    public static int WriteVarint(ulong value, Span<byte> destination)
    {
        var length = 0;
        while (value >= 0x80)
        {
            destination[length++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[length++] = (byte)value;
        return length;
    }

    /// <summary>The zigzag encoding of a <c>sint32</c>.</summary>
    public static uint ZigZag(int value) => (uint)((value << 1) ^ (value >> 31));

    /// <summary>The zigzag encoding of a <c>sint64</c>.</summary>
    public static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    /// <summary>The tag of <paramref name="fieldNumber"/> with <paramref name="wireType"/>.</summary>
    public static uint Tag(int fieldNumber, ProtobufWireType wireType) => ((uint)fieldNumber << 3) | (uint)wireType;

    /// <summary>The bytes <paramref name="value"/> takes as a varint.</summary>
    public static int VarintLength(ulong value)
    {
        var length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }

        return length;
    }

    /// <summary>The bytes of the tag of <paramref name="fieldNumber"/>; the wire type never changes its length.</summary>
    public static int TagLength(int fieldNumber) => VarintLength(Tag(fieldNumber, ProtobufWireType.Varint));

    /// <summary>The bytes of a <c>double</c> field.</summary>
    public static int DoubleFieldLength(int fieldNumber) => TagLength(fieldNumber) + Fixed64Length;

    /// <summary>The bytes of a <c>uint64</c>, <c>uint32</c>, <c>bool</c> or non-negative enum field.</summary>
    public static int UInt64FieldLength(int fieldNumber, ulong value) => TagLength(fieldNumber) + VarintLength(value);

    /// <summary>The bytes of an <c>int64</c> field (or an <c>int32</c> one, widened to 64 bits as the wire requires).</summary>
    public static int Int64FieldLength(int fieldNumber, long value) => TagLength(fieldNumber) + VarintLength((ulong)value);

    /// <summary>The bytes of a <c>sint32</c> field.</summary>
    public static int SInt32FieldLength(int fieldNumber, int value) => TagLength(fieldNumber) + VarintLength(ZigZag(value));

    /// <summary>The bytes of a <c>sint64</c> field.</summary>
    public static int SInt64FieldLength(int fieldNumber, long value) => TagLength(fieldNumber) + VarintLength(ZigZag(value));

    /// <summary>The bytes of a length-delimited field whose content takes <paramref name="contentLength"/> bytes: strings, bytes, nested messages.</summary>
    public static int LengthDelimitedFieldLength(int fieldNumber, int contentLength) =>
        TagLength(fieldNumber) + VarintLength((uint)contentLength) + contentLength;

    /// <summary>The bytes of a <c>string</c> field holding <paramref name="value"/>, encoded as UTF-8.</summary>
    public static int StringFieldLength(int fieldNumber, ReadOnlySpan<char> value) =>
        LengthDelimitedFieldLength(fieldNumber, Encoding.UTF8.GetByteCount(value));

    /// <summary>The bytes of the content of a packed repeated <c>sint64</c> field: the zigzag varints, without tag or length.</summary>
    public static int PackedSInt64ContentLength(ReadOnlySpan<long> values)
    {
        var length = 0;
        foreach (var value in values)
        {
            length += VarintLength(ZigZag(value));
        }

        return length;
    }

    /// <summary>The bytes of a packed repeated <c>sint64</c> field; nothing at all when it is empty, as protobuf leaves empty repeated fields out.</summary>
    public static int PackedSInt64FieldLength(int fieldNumber, ReadOnlySpan<long> values) =>
        values.IsEmpty ? 0 : LengthDelimitedFieldLength(fieldNumber, PackedSInt64ContentLength(values));

    /// <summary>The bytes of an unpacked repeated <c>sint64</c> field: a tag and a zigzag varint per value.</summary>
    public static int RepeatedSInt64FieldLength(int fieldNumber, ReadOnlySpan<long> values) =>
        (TagLength(fieldNumber) * values.Length) + PackedSInt64ContentLength(values);
}
