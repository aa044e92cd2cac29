using System.Buffers;
using Metrics.Exposition.Protobuf;

namespace Metrics.Tests.Exposition.Protobuf;

// Expected bytes are worked by hand from the protobuf encoding rules: seven bits per varint byte, least
// significant first, the high bit set on all but the last; zigzag maps 0, -1, 1, -2 … to 0, 1, 2, 3 ….
public sealed class ProtobufEncodingTests
{
    [TestCase(0UL, new byte[] { 0x00 })]
    [TestCase(1UL, new byte[] { 0x01 })]
    [TestCase(127UL, new byte[] { 0x7F })]
    [TestCase(128UL, new byte[] { 0x80, 0x01 })]
    [TestCase(300UL, new byte[] { 0xAC, 0x02 })]
    [TestCase(16383UL, new byte[] { 0xFF, 0x7F })]
    [TestCase(16384UL, new byte[] { 0x80, 0x80, 0x01 })]
    [TestCase(0xFFFFFFFFUL, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F })]
    [TestCase(ulong.MaxValue, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })]
    public void Varint_takes_seven_bits_a_byte_least_significant_first(ulong value, byte[] expected)
    {
        Span<byte> buffer = stackalloc byte[ProtobufEncoding.MaxVarintLength];

        var length = ProtobufEncoding.WriteVarint(value, buffer);

        buffer[..length].ToArray().ShouldBe(expected);
        ProtobufEncoding.VarintLength(value).ShouldBe(expected.Length);
    }

    [TestCase(0, 0u)]
    [TestCase(-1, 1u)]
    [TestCase(1, 2u)]
    [TestCase(-2, 3u)]
    [TestCase(2147483647, 4294967294u)]
    [TestCase(-2147483648, 4294967295u)]
    public void Zigzag_of_sint32_interleaves_negative_and_positive(int value, uint expected)
    {
        ProtobufEncoding.ZigZag(value).ShouldBe(expected);
    }

    [TestCase(0L, 0UL)]
    [TestCase(-1L, 1UL)]
    [TestCase(1L, 2UL)]
    [TestCase(-2L, 3UL)]
    [TestCase(long.MaxValue, 18446744073709551614UL)]
    [TestCase(long.MinValue, ulong.MaxValue)]
    public void Zigzag_of_sint64_interleaves_negative_and_positive(long value, ulong expected)
    {
        ProtobufEncoding.ZigZag(value).ShouldBe(expected);
    }

    [TestCase(1, 0, 0x08u)]
    [TestCase(1, 1, 0x09u)]
    [TestCase(2, 2, 0x12u)]
    [TestCase(15, 0, 0x78u)]
    [TestCase(16, 2, 0x82u)]
    public void Tag_is_the_field_number_shifted_three_bits_with_the_wire_type(int field, int wireType, uint expected)
    {
        ProtobufEncoding.Tag(field, (ProtobufWireType)wireType).ShouldBe(expected);
    }

    [Test]
    public void Tag_of_field_16_takes_two_bytes()
    {
        ProtobufEncoding.TagLength(15).ShouldBe(1);
        ProtobufEncoding.TagLength(16).ShouldBe(2);
        Written((ref ProtobufWriter w) => w.WriteTag(16, ProtobufWireType.LengthDelimited)).ShouldBe(new byte[] { 0x82, 0x01 });
    }

    [Test]
    public void Every_field_length_equals_the_bytes_the_writer_writes()
    {
        var random = new Random(31);
        for (var i = 0; i < 2_000; i++)
        {
            var field = random.Next(1, 3000);
            var unsigned = (ulong)random.NextInt64() << random.Next(0, 2);
            var signed = random.NextInt64(long.MinValue, long.MaxValue) >> random.Next(0, 63);
            var small = (int)(signed >> 32);
            var text = new string(Enumerable.Range(0, random.Next(0, 200)).Select(_ => (char)random.Next(0x20, 0xD7FF)).ToArray());
            var deltas = Enumerable.Range(0, random.Next(0, 20)).Select(_ => random.NextInt64(long.MinValue, long.MaxValue) >> random.Next(0, 63)).ToArray();

            Written((ref ProtobufWriter w) => w.WriteDoubleField(field, random.NextDouble())).Length.ShouldBe(ProtobufEncoding.DoubleFieldLength(field));
            Written((ref ProtobufWriter w) => w.WriteUInt64Field(field, unsigned)).Length.ShouldBe(ProtobufEncoding.UInt64FieldLength(field, unsigned));
            Written((ref ProtobufWriter w) => w.WriteInt64Field(field, signed)).Length.ShouldBe(ProtobufEncoding.Int64FieldLength(field, signed));
            Written((ref ProtobufWriter w) => w.WriteSInt64Field(field, signed)).Length.ShouldBe(ProtobufEncoding.SInt64FieldLength(field, signed));
            Written((ref ProtobufWriter w) => w.WriteSInt32Field(field, small)).Length.ShouldBe(ProtobufEncoding.SInt32FieldLength(field, small));
            Written((ref ProtobufWriter w) => w.WriteStringField(field, text)).Length.ShouldBe(ProtobufEncoding.StringFieldLength(field, text));
            Written((ref ProtobufWriter w) => w.WritePackedSInt64Field(field, deltas)).Length.ShouldBe(ProtobufEncoding.PackedSInt64FieldLength(field, deltas));
            Written((ref ProtobufWriter w) => w.WriteRepeatedSInt64Field(field, deltas)).Length.ShouldBe(ProtobufEncoding.RepeatedSInt64FieldLength(field, deltas));
        }
    }

    internal delegate void WriteFields(ref ProtobufWriter writer);

    internal static byte[] Written(WriteFields write)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new ProtobufWriter(output);
        write(ref writer);
        writer.Flush();
        return output.WrittenSpan.ToArray();
    }
}
