using System.Buffers;
using System.Text.Json;
using Metrics.Exposition.Protobuf;
using Metrics.Testing;
using static Metrics.Tests.Exposition.Protobuf.ProtobufEncodingTests;

namespace Metrics.Tests.Exposition.Protobuf;

/// <summary>
/// Bytes written with the wire primitives, read back by an independent decoder (Debian's python3-protobuf, with
/// types built from the client_model .proto): every field number, wire type, varint, zigzag and double must come
/// back as written, bit for bit.
/// </summary>
public sealed class ProtobufDecodeTests
{
    [Test]
    public void Every_metric_type_written_with_the_primitives_decodes_field_for_field()
    {
        var stream = new ArrayBufferWriter<byte>();
        Delimited(stream, Written((ref ProtobufWriter w) =>
        {
            w.WriteStringField(ClientModelFields.MetricFamily.Name, "requests_total");
            w.WriteStringField(ClientModelFields.MetricFamily.Help, "Requests, by path: \"ünïcødé\" 😀\nsecond line.");
            w.WriteUInt64Field(ClientModelFields.MetricFamily.Type, ClientModelFields.MetricType.Counter);
            w.WriteBytesField(ClientModelFields.MetricFamily.Metric, Written((ref ProtobufWriter m) =>
            {
                m.WriteBytesField(ClientModelFields.Metric.Label, Label("path", "/ünï"));
                m.WriteBytesField(ClientModelFields.Metric.Label, Label("method", ""));
                m.WriteBytesField(ClientModelFields.Metric.Counter, Written((ref ProtobufWriter c) =>
                {
                    c.WriteDoubleField(ClientModelFields.Counter.Value, 42.5);
                    c.WriteBytesField(ClientModelFields.Counter.Exemplar, Exemplar("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736", 0.7, 1704164645.25));
                    new ProtobufTimestamp(1704160000, 999_999_999).WriteAsField(ref c, ClientModelFields.Counter.CreatedTimestamp);
                }));
                m.WriteInt64Field(ClientModelFields.Metric.TimestampMs, long.MinValue);
            }));
            w.WriteStringField(ClientModelFields.MetricFamily.Unit, "requests");
        }));
        Delimited(stream, Written((ref ProtobufWriter w) =>
        {
            w.WriteStringField(ClientModelFields.MetricFamily.Name, "temperature_celsius");
            w.WriteUInt64Field(ClientModelFields.MetricFamily.Type, ClientModelFields.MetricType.Gauge);
            foreach (var value in new[] { double.NaN, double.NegativeInfinity, -0.0, double.Epsilon, double.MaxValue })
            {
                w.WriteBytesField(ClientModelFields.MetricFamily.Metric, Written((ref ProtobufWriter m) =>
                {
                    m.WriteBytesField(ClientModelFields.Metric.Gauge, Written((ref ProtobufWriter g) => g.WriteDoubleField(ClientModelFields.Gauge.Value, value)));
                    m.WriteInt64Field(ClientModelFields.Metric.TimestampMs, long.MaxValue);
                }));
            }
        }));
        Delimited(stream, Written((ref ProtobufWriter w) =>
        {
            w.WriteStringField(ClientModelFields.MetricFamily.Name, "rpc_seconds");
            w.WriteUInt64Field(ClientModelFields.MetricFamily.Type, ClientModelFields.MetricType.Summary);
            w.WriteBytesField(ClientModelFields.MetricFamily.Metric, Written((ref ProtobufWriter m) =>
                m.WriteBytesField(ClientModelFields.Metric.Summary, Written((ref ProtobufWriter s) =>
                {
                    s.WriteUInt64Field(ClientModelFields.Summary.SampleCount, ulong.MaxValue);
                    s.WriteDoubleField(ClientModelFields.Summary.SampleSum, 0.1 + 0.2);
                    foreach (var (rank, value) in new[] { (0.5, 0.25), (0.99, 1e-300) })
                    {
                        s.WriteBytesField(ClientModelFields.Summary.Quantile, Written((ref ProtobufWriter q) =>
                        {
                            q.WriteDoubleField(ClientModelFields.Quantile.Rank, rank);
                            q.WriteDoubleField(ClientModelFields.Quantile.Value, value);
                        }));
                    }

                    new ProtobufTimestamp(-1, 5).WriteAsField(ref s, ClientModelFields.Summary.CreatedTimestamp);
                }))));
        }));
        Delimited(stream, Written((ref ProtobufWriter w) =>
        {
            w.WriteStringField(ClientModelFields.MetricFamily.Name, "legacy");
            w.WriteUInt64Field(ClientModelFields.MetricFamily.Type, ClientModelFields.MetricType.Untyped);
            w.WriteBytesField(ClientModelFields.MetricFamily.Metric, Written((ref ProtobufWriter m) =>
                m.WriteBytesField(ClientModelFields.Metric.Untyped, Written((ref ProtobufWriter u) => u.WriteDoubleField(ClientModelFields.Untyped.Value, -7)))));
        }));

        using var decoded = ClientModelDecoder.Decode(stream.WrittenSpan);

        var root = Ok(decoded);
        var families = root.GetProperty("families");
        families.GetArrayLength().ShouldBe(4);

        var counter = families[0];
        counter.GetProperty("name").GetString().ShouldBe("requests_total");
        counter.GetProperty("help").GetString().ShouldBe("Requests, by path: \"ünïcødé\" 😀\nsecond line.");
        counter.GetProperty("type").GetInt32().ShouldBe(0);
        counter.GetProperty("unit").GetString().ShouldBe("requests");
        var counterMetric = counter.GetProperty("metric")[0];
        Labels(counterMetric).ShouldBe(["path=/ünï", "method="]);
        counterMetric.GetProperty("timestamp_ms").GetInt64().ShouldBe(long.MinValue);
        var counterValue = counterMetric.GetProperty("counter");
        Double(counterValue.GetProperty("value")).ShouldBe(42.5);
        var exemplar = counterValue.GetProperty("exemplar");
        Labels(exemplar, "label").ShouldBe(["trace_id=4bf92f3577b34da6a3ce929d0e0e4736"]);
        Double(exemplar.GetProperty("value")).ShouldBe(0.7);
        exemplar.GetProperty("timestamp").GetProperty("seconds").GetInt64().ShouldBe(1704164645);
        exemplar.GetProperty("timestamp").GetProperty("nanos").GetInt32().ShouldBe(250_000_000);
        counterValue.GetProperty("created_timestamp").GetProperty("nanos").GetInt32().ShouldBe(999_999_999);

        var gauges = families[1].GetProperty("metric").EnumerateArray().ToArray();
        gauges.Select(m => BitConverter.DoubleToInt64Bits(Double(m.GetProperty("gauge").GetProperty("value"))))
            .ShouldBe(new[] { double.NaN, double.NegativeInfinity, -0.0, double.Epsilon, double.MaxValue }.Select(BitConverter.DoubleToInt64Bits));
        gauges.ShouldAllBe(m => m.GetProperty("timestamp_ms").GetInt64() == long.MaxValue);

        var summary = families[2].GetProperty("metric")[0].GetProperty("summary");
        summary.GetProperty("sample_count").GetUInt64().ShouldBe(ulong.MaxValue);
        Double(summary.GetProperty("sample_sum")).ShouldBe(0.1 + 0.2);
        summary.GetProperty("quantile").EnumerateArray().Select(q => (Double(q.GetProperty("quantile")), Double(q.GetProperty("value"))))
            .ShouldBe([(0.5, 0.25), (0.99, 1e-300)]);
        summary.GetProperty("created_timestamp").GetProperty("seconds").GetInt64().ShouldBe(-1);
        summary.GetProperty("created_timestamp").GetProperty("nanos").GetInt32().ShouldBe(5);

        Double(families[3].GetProperty("metric")[0].GetProperty("untyped").GetProperty("value")).ShouldBe(-7);
    }

    [Test]
    public void A_native_histogram_snapshot_written_with_the_primitives_decodes_to_the_same_buckets()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var state = new NativeHistogramState(new NativeHistogramOptions(), clock);
        var random = new Random(12);
        for (var i = 0; i < 5_000; i++)
        {
            var magnitude = Math.Pow(10, (random.NextDouble() * 8) - 4);
            state.Observe(i % 7 == 0 ? -magnitude : i % 11 == 0 ? 0 : magnitude);
        }

        state.Observe(0.125, new Exemplar("trace_id", "abc"));
        var snapshot = new NativeHistogramSnapshot();
        state.CaptureInto(snapshot);
        var empty = new NativeHistogramSnapshot();
        new NativeHistogramState(new NativeHistogramOptions { ZeroThreshold = 0 }, clock).CaptureInto(empty);

        var stream = new ArrayBufferWriter<byte>();
        Delimited(stream, Written((ref ProtobufWriter w) =>
        {
            w.WriteStringField(ClientModelFields.MetricFamily.Name, "latency_seconds");
            w.WriteUInt64Field(ClientModelFields.MetricFamily.Type, ClientModelFields.MetricType.Histogram);
            w.WriteBytesField(ClientModelFields.MetricFamily.Metric, Written((ref ProtobufWriter m) =>
                m.WriteBytesField(ClientModelFields.Metric.Histogram, Written((ref ProtobufWriter h) => WriteNative(ref h, snapshot, packed: true)))));
            w.WriteBytesField(ClientModelFields.MetricFamily.Metric, Written((ref ProtobufWriter m) =>
                m.WriteBytesField(ClientModelFields.Metric.Histogram, Written((ref ProtobufWriter h) => WriteNative(ref h, snapshot, packed: false)))));
            w.WriteBytesField(ClientModelFields.MetricFamily.Metric, Written((ref ProtobufWriter m) =>
                m.WriteBytesField(ClientModelFields.Metric.Histogram, Written((ref ProtobufWriter h) => WriteNative(ref h, empty, packed: true)))));
        }));

        using var decoded = ClientModelDecoder.Decode(stream.WrittenSpan);

        var metrics = Ok(decoded).GetProperty("families")[0].GetProperty("metric");
        foreach (var histogram in metrics.EnumerateArray().Take(2).Select(m => m.GetProperty("histogram")))
        {
            histogram.GetProperty("sample_count").GetInt64().ShouldBe(snapshot.Count);
            Double(histogram.GetProperty("sample_sum")).ShouldBe(snapshot.Sum);
            histogram.GetProperty("schema").GetInt32().ShouldBe(snapshot.Schema);
            Double(histogram.GetProperty("zero_threshold")).ShouldBe(snapshot.ZeroThreshold);
            histogram.GetProperty("zero_count").GetInt64().ShouldBe(snapshot.ZeroCount);
            Buckets(histogram, "positive").ShouldBe(snapshot.PositiveBuckets.ToArray());
            Buckets(histogram, "negative").ShouldBe(snapshot.NegativeBuckets.ToArray());
            var exemplar = histogram.GetProperty("exemplars").EnumerateArray().ShouldHaveSingleItem();
            Double(exemplar.GetProperty("value")).ShouldBe(0.125);
            exemplar.GetProperty("timestamp").GetProperty("seconds").GetInt64().ShouldBe(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero).ToUnixTimeSeconds());
            histogram.GetProperty("created_timestamp").GetProperty("seconds").GetInt64().ShouldBe(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero).ToUnixTimeSeconds());
        }

        snapshot.NegativeBuckets.Length.ShouldBeGreaterThan(10);
        snapshot.PositiveSpans.Length.ShouldBeGreaterThan(0);
        var emptyHistogram = metrics[2].GetProperty("histogram");
        emptyHistogram.GetProperty("positive_span").EnumerateArray().ShouldHaveSingleItem().GetProperty("length").GetInt64().ShouldBe(0);
        emptyHistogram.TryGetProperty("positive_delta", out _).ShouldBeFalse();
    }

    [Test]
    public void Random_values_of_every_wire_type_decode_bit_for_bit()
    {
        var random = new Random(2024);
        var expected = new List<(string Name, double[] Values, long Timestamp, long[] Deltas, int Offset, uint Length, ulong Count)>();
        var stream = new ArrayBufferWriter<byte>();
        for (var i = 0; i < 300; i++)
        {
            var name = RandomText(random, random.Next(0, 40));
            var values = Enumerable.Range(0, random.Next(1, 6)).Select(_ => RandomDouble(random)).ToArray();
            var timestamp = RandomLong(random);
            var deltas = Enumerable.Range(0, random.Next(0, 12)).Select(_ => RandomLong(random)).ToArray();
            var offset = (int)(RandomLong(random) >> 32);
            var length = (uint)(RandomLong(random) >> 32);
            var count = (ulong)RandomLong(random);
            expected.Add((name, values, timestamp, deltas, offset, length, count));
            Delimited(stream, Written((ref ProtobufWriter w) =>
            {
                w.WriteStringField(ClientModelFields.MetricFamily.Name, name);
                w.WriteUInt64Field(ClientModelFields.MetricFamily.Type, ClientModelFields.MetricType.Histogram);
                w.WriteBytesField(ClientModelFields.MetricFamily.Metric, Written((ref ProtobufWriter m) =>
                {
                    m.WriteBytesField(ClientModelFields.Metric.Label, Label(name, name));
                    m.WriteInt64Field(ClientModelFields.Metric.TimestampMs, timestamp);
                    m.WriteBytesField(ClientModelFields.Metric.Histogram, Written((ref ProtobufWriter h) =>
                    {
                        h.WriteUInt64Field(ClientModelFields.Histogram.SampleCount, count);
                        h.WriteSInt32Field(ClientModelFields.Histogram.Schema, offset);
                        h.WriteBytesField(ClientModelFields.Histogram.PositiveSpan, Written((ref ProtobufWriter s) =>
                        {
                            s.WriteSInt32Field(ClientModelFields.BucketSpan.Offset, offset);
                            s.WriteUInt64Field(ClientModelFields.BucketSpan.Length, length);
                        }));
                        if ((count & 1) == 0)
                        {
                            h.WritePackedSInt64Field(ClientModelFields.Histogram.PositiveDelta, deltas);
                        }
                        else
                        {
                            h.WriteRepeatedSInt64Field(ClientModelFields.Histogram.PositiveDelta, deltas);
                        }

                        foreach (var value in values)
                        {
                            h.WriteBytesField(ClientModelFields.Histogram.Bucket, Written((ref ProtobufWriter b) => b.WriteDoubleField(ClientModelFields.Bucket.UpperBound, value)));
                        }
                    }));
                }));
            }));
        }

        using var decoded = ClientModelDecoder.Decode(stream.WrittenSpan);

        var families = Ok(decoded).GetProperty("families").EnumerateArray().ToArray();
        families.Length.ShouldBe(expected.Count);
        for (var i = 0; i < families.Length; i++)
        {
            var (name, values, timestamp, deltas, offset, length, count) = expected[i];
            var family = families[i];
            (family.TryGetProperty("name", out var decodedName) ? decodedName.GetString() : "").ShouldBe(name);
            var metric = family.GetProperty("metric")[0];
            Labels(metric).ShouldBe([$"{name}={name}"]);
            metric.GetProperty("timestamp_ms").GetInt64().ShouldBe(timestamp);
            var histogram = metric.GetProperty("histogram");
            histogram.GetProperty("sample_count").GetUInt64().ShouldBe(count);
            histogram.GetProperty("schema").GetInt32().ShouldBe(offset);
            var span = histogram.GetProperty("positive_span")[0];
            span.GetProperty("offset").GetInt32().ShouldBe(offset);
            span.GetProperty("length").GetUInt32().ShouldBe(length);
            (histogram.TryGetProperty("positive_delta", out var decodedDeltas) ? decodedDeltas.EnumerateArray().Select(d => d.GetInt64()).ToArray() : [])
                .ShouldBe(deltas);
            histogram.GetProperty("bucket").EnumerateArray().Select(b => BitConverter.DoubleToInt64Bits(Double(b.GetProperty("upper_bound"))))
                .ShouldBe(values.Select(BitConverter.DoubleToInt64Bits));
        }
    }

    // The native part of a Histogram message, as the protobuf writer will write it from a snapshot.
    private static void WriteNative(ref ProtobufWriter h, NativeHistogramSnapshot snapshot, bool packed)
    {
        h.WriteUInt64Field(ClientModelFields.Histogram.SampleCount, (ulong)snapshot.Count);
        h.WriteDoubleField(ClientModelFields.Histogram.SampleSum, snapshot.Sum);
        h.WriteSInt32Field(ClientModelFields.Histogram.Schema, snapshot.Schema);
        h.WriteDoubleField(ClientModelFields.Histogram.ZeroThreshold, snapshot.ZeroThreshold);
        h.WriteUInt64Field(ClientModelFields.Histogram.ZeroCount, (ulong)snapshot.ZeroCount);
        WriteSpans(ref h, ClientModelFields.Histogram.NegativeSpan, snapshot.NegativeSpans);
        WriteDeltas(ref h, ClientModelFields.Histogram.NegativeDelta, snapshot.NegativeDeltas, packed);
        WriteSpans(ref h, ClientModelFields.Histogram.PositiveSpan, snapshot.PositiveSpans);
        WriteDeltas(ref h, ClientModelFields.Histogram.PositiveDelta, snapshot.PositiveDeltas, packed);
        ProtobufTimestamp.FromUnixSeconds(snapshot.CreatedSeconds).WriteAsField(ref h, ClientModelFields.Histogram.CreatedTimestamp);
        foreach (var exemplar in snapshot.Exemplars)
        {
            h.WriteBytesField(ClientModelFields.Histogram.Exemplars, Exemplar(exemplar.Labels[0].Key, exemplar.Labels[0].Value, exemplar.Value, exemplar.Timestamp));
        }
    }

    private static void WriteSpans(ref ProtobufWriter h, int field, ReadOnlySpan<NativeBucketSpan> spans)
    {
        foreach (var span in spans)
        {
            var length = ProtobufEncoding.SInt32FieldLength(ClientModelFields.BucketSpan.Offset, span.Offset)
                + ProtobufEncoding.UInt64FieldLength(ClientModelFields.BucketSpan.Length, span.Length);
            h.WriteMessageHeader(field, length);
            h.WriteSInt32Field(ClientModelFields.BucketSpan.Offset, span.Offset);
            h.WriteUInt64Field(ClientModelFields.BucketSpan.Length, span.Length);
        }
    }

    private static void WriteDeltas(ref ProtobufWriter h, int field, ReadOnlySpan<long> deltas, bool packed)
    {
        if (packed)
        {
            h.WritePackedSInt64Field(field, deltas);
        }
        else
        {
            h.WriteRepeatedSInt64Field(field, deltas);
        }
    }

    // Absolute buckets rebuilt from the decoded spans and deltas, as Prometheus reads them.
    private static NativeBucket[] Buckets(JsonElement histogram, string sign)
    {
        var buckets = new List<NativeBucket>();
        if (!histogram.TryGetProperty($"{sign}_span", out var spans))
        {
            return [];
        }

        var deltas = histogram.GetProperty($"{sign}_delta").EnumerateArray().Select(d => d.GetInt64()).ToArray();
        int index = 0, position = 0;
        long count = 0;
        foreach (var span in spans.EnumerateArray())
        {
            index += span.GetProperty("offset").GetInt32();
            for (var i = 0; i < span.GetProperty("length").GetInt32(); i++)
            {
                count += deltas[position++];
                buckets.Add(new NativeBucket(index++, count));
            }
        }

        position.ShouldBe(deltas.Length);
        return buckets.ToArray();
    }

    private static byte[] Label(string name, string value) => Written((ref ProtobufWriter l) =>
    {
        l.WriteStringField(ClientModelFields.LabelPair.Name, name);
        l.WriteStringField(ClientModelFields.LabelPair.Value, value);
    });

    private static byte[] Exemplar(string name, string value, double observed, double timestamp) => Written((ref ProtobufWriter e) =>
    {
        e.WriteBytesField(ClientModelFields.Exemplar.Label, Label(name, value));
        e.WriteDoubleField(ClientModelFields.Exemplar.Value, observed);
        ProtobufTimestamp.FromUnixSeconds(timestamp).WriteAsField(ref e, ClientModelFields.Exemplar.Timestamp);
    });

    private static void Delimited(ArrayBufferWriter<byte> stream, byte[] message)
    {
        var writer = new ProtobufWriter(stream);
        writer.WriteVarint((uint)message.Length);
        writer.WriteRaw(message);
        writer.Flush();
    }

    private static JsonElement Ok(JsonDocument decoded)
    {
        var root = decoded.RootElement;
        root.GetProperty("ok").GetBoolean().ShouldBeTrue(root.TryGetProperty("error", out var error) ? error.GetString() : null);
        return root;
    }

    private static string[] Labels(JsonElement message, string field = "label") =>
        message.GetProperty(field).EnumerateArray()
            .Select(l => $"{(l.TryGetProperty("name", out var n) ? n.GetString() : "")}={(l.TryGetProperty("value", out var v) ? v.GetString() : "")}")
            .ToArray();

    private static double Double(JsonElement hexBits) => ClientModelDecoder.DoubleOf(hexBits);

    private static double RandomDouble(Random random) => random.Next(8) switch
    {
        0 => double.NaN,
        1 => double.PositiveInfinity,
        2 => double.NegativeInfinity,
        3 => -0.0,
        4 => double.Epsilon * random.Next(1, 1000),
        _ => BitConverter.Int64BitsToDouble(random.NextInt64(long.MinValue, long.MaxValue)),
    };

    private static long RandomLong(Random random) => random.Next(6) switch
    {
        0 => long.MinValue,
        1 => long.MaxValue,
        2 => 0,
        3 => -1,
        _ => random.NextInt64(long.MinValue, long.MaxValue) >> random.Next(0, 64),
    };

    private static string RandomText(Random random, int length)
    {
        var text = new System.Text.StringBuilder();
        while (text.Length < length)
        {
            var rune = random.Next(4) switch
            {
                0 => random.Next(0x20, 0x7F),
                1 => random.Next(0xA0, 0x800),
                2 => random.Next(0x800, 0xD800),
                _ => random.Next(0x10000, 0x110000),
            };
            text.Append(char.ConvertFromUtf32(rune));
        }

        return text.ToString();
    }
}
