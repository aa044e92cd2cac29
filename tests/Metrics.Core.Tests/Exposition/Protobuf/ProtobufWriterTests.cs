using System.Buffers;
using Metrics.Exposition.Protobuf;
using static Metrics.Tests.Exposition.Protobuf.ProtobufEncodingTests;

namespace Metrics.Tests.Exposition.Protobuf;

public sealed class ProtobufWriterTests
{
    [Test]
    public void Double_field_is_the_tag_then_eight_little_endian_bytes()
    {
        Written((ref ProtobufWriter w) => w.WriteDoubleField(1, 1.0))
            .ShouldBe(new byte[] { 0x09, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F });
        Written((ref ProtobufWriter w) => w.WriteDoubleField(2, double.NaN)).Length.ShouldBe(9);
    }

    [Test]
    public void Negative_int64_takes_ten_bytes_and_sint64_zigzags_it_short()
    {
        Written((ref ProtobufWriter w) => w.WriteInt64Field(6, -1))
            .ShouldBe(new byte[] { 0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 });
        Written((ref ProtobufWriter w) => w.WriteSInt64Field(13, -1)).ShouldBe(new byte[] { 0x68, 0x01 });
        Written((ref ProtobufWriter w) => w.WriteSInt32Field(1, -3)).ShouldBe(new byte[] { 0x08, 0x05 });
    }

    [Test]
    public void String_field_is_utf8_with_its_byte_length()
    {
        Written((ref ProtobufWriter w) => w.WriteStringField(1, "abc")).ShouldBe(new byte[] { 0x0A, 0x03, 0x61, 0x62, 0x63 });
        Written((ref ProtobufWriter w) => w.WriteStringField(2, "é😀")).ShouldBe(new byte[] { 0x12, 0x06, 0xC3, 0xA9, 0xF0, 0x9F, 0x98, 0x80 });
        Written((ref ProtobufWriter w) => w.WriteStringField(1, "")).ShouldBe(new byte[] { 0x0A, 0x00 });
    }

    [Test]
    public void Packed_sint64_is_one_length_delimited_field_and_unpacked_is_one_field_per_value()
    {
        long[] deltas = [0, -1, 1];

        Written((ref ProtobufWriter w) => w.WritePackedSInt64Field(13, deltas)).ShouldBe(new byte[] { 0x6A, 0x03, 0x00, 0x01, 0x02 });
        Written((ref ProtobufWriter w) => w.WriteRepeatedSInt64Field(13, deltas)).ShouldBe(new byte[] { 0x68, 0x00, 0x68, 0x01, 0x68, 0x02 });
        Written((ref ProtobufWriter w) => w.WritePackedSInt64Field(13, [])).ShouldBeEmpty();
    }

    [Test]
    public void Nested_message_header_carries_the_content_length_measured_beforehand()
    {
        // BucketSpan { offset: -2, length: 3 } inside field 12.
        var contentLength = ProtobufEncoding.SInt32FieldLength(ClientModelFields.BucketSpan.Offset, -2)
            + ProtobufEncoding.UInt64FieldLength(ClientModelFields.BucketSpan.Length, 3);

        var bytes = Written((ref ProtobufWriter w) =>
        {
            w.WriteMessageHeader(ClientModelFields.Histogram.PositiveSpan, contentLength);
            w.WriteSInt32Field(ClientModelFields.BucketSpan.Offset, -2);
            w.WriteUInt64Field(ClientModelFields.BucketSpan.Length, 3);
        });

        bytes.ShouldBe(new byte[] { 0x62, 0x04, 0x08, 0x03, 0x10, 0x03 });
        bytes.Length.ShouldBe(ProtobufEncoding.LengthDelimitedFieldLength(ClientModelFields.Histogram.PositiveSpan, contentLength));
    }

    [Test]
    public void Timestamp_splits_unix_seconds_into_seconds_and_non_negative_nanos()
    {
        ProtobufTimestamp.FromUnixSeconds(1704164645.25).ShouldBe(new ProtobufTimestamp(1704164645, 250_000_000));
        ProtobufTimestamp.FromUnixSeconds(-1.5).ShouldBe(new ProtobufTimestamp(-2, 500_000_000));
        ProtobufTimestamp.FromUnixSeconds(0).ShouldBe(new ProtobufTimestamp(0, 0));
        ProtobufTimestamp.FromUnixSeconds(2.9999999999).ShouldBe(new ProtobufTimestamp(3, 0));
    }

    [Test]
    public void Writes_larger_than_a_chunk_arrive_whole_and_in_order()
    {
        var output = new ArrayBufferWriter<byte>(16);
        var writer = new ProtobufWriter(output);
        var text = new string('x', 40_000);
        for (var i = 0; i < 3; i++)
        {
            writer.WriteStringField(1, text);
            writer.WriteUInt64Field(2, (ulong)i);
        }

        writer.Flush();

        var expectedOne = ProtobufEncoding.StringFieldLength(1, text) + 2;
        output.WrittenCount.ShouldBe(3 * expectedOne);
        output.WrittenSpan[(2 * expectedOne)..][..4].ToArray().ShouldBe(new byte[] { 0x0A, 0xC0, 0xB8, 0x02 });
        output.WrittenSpan[^2..].ToArray().ShouldBe(new byte[] { 0x10, 0x02 });
    }

    [Test]
    public void Writing_fields_allocates_nothing_once_the_output_has_room()
    {
        var output = new ArrayBufferWriter<byte>(1 << 20);
        long[] deltas = [1, -2, 3];
        var before = GC.GetAllocatedBytesForCurrentThread();
        var writer = new ProtobufWriter(output);
        for (var i = 0; i < 1_000; i++)
        {
            writer.WriteStringField(1, "requests_total");
            writer.WriteDoubleField(2, i);
            writer.WriteSInt64Field(3, -i);
            writer.WritePackedSInt64Field(4, deltas);
        }

        writer.Flush();

        (GC.GetAllocatedBytesForCurrentThread() - before).ShouldBe(0);
    }
}
