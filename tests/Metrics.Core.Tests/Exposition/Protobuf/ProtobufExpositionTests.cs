using System.Buffers;
using System.Text.Json;
using Metrics.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Metrics.Tests.Exposition.Protobuf;

/// <summary>
/// The protobuf exposition of real registries, read back by the independent decoder (Debian's python3-protobuf with
/// the client_model .proto): every family, label, value, bucket, exemplar and timestamp as the registry holds it.
/// </summary>
public sealed class ProtobufExpositionTests
{
    private const long StartMilliseconds = 1_700_000_000_250;
    private const double StartSeconds = 1_700_000_000.25;

    [Test]
    public void Every_type_decodes_with_its_exact_values_labels_exemplars_and_created_timestamps()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(StartMilliseconds));
        var registry = new MetricRegistry(new MetricRegistryOptions
        {
            TimeProvider = clock,
            EnableCreatedSamples = true,
            ConstantLabels = new Dictionary<string, string> { ["zone"] = "eu-1" },
        });
        registry.CreateCounterFamily("requests_total", "Requests \"quoted\"\nnewline.", ["path"]).WithLabels("/ünï").Inc(41, new Exemplar("trace_id", "abc"));
        registry.CreateDoubleCounter("cpu_seconds", "CPU.", new FamilyOptions { Unit = "seconds" }).Inc(0.1 + 0.2);
        registry.CreateGauge("temperature_celsius", "Temperature.").Set(-0.0);
        registry.CreateCallbackGauge("pulled", "Pulled.", () => 12.75);
        registry.CreateCallbackCounter("external_total", "External.", () => 99.5);
        var classic = registry.CreateHistogram("classic_seconds", "Classic.", [0.5, 1]);
        classic.Observe(0.25, new Exemplar("trace_id", "low"));
        classic.Observe(7, new Exemplar("trace_id", "high"));
        classic.Observe(0.75);
        var summary = registry.CreateSummary("rpc_seconds", "RPC.", new SummaryOptions { Objectives = new Dictionary<double, double> { [0.5] = 0.05 } });
        summary.Observe(2);
        var native = registry.CreateNativeHistogram("native_seconds", "Native.", new NativeHistogramOptions { BucketFactor = 2 });
        native.Observe(3, new Exemplar("trace_id", "n"));
        native.Observe(-0.75);
        native.Observe(0);
        var dual = registry.CreateNativeHistogram("dual_seconds", "Dual.", new NativeHistogramOptions { BucketFactor = 2, ClassicBuckets = [1] });
        dual.Observe(0.5);
        dual.Observe(8);
        registry.CreateNativeHistogram("empty_seconds", "Empty.", new NativeHistogramOptions { ZeroThreshold = 0 });

        using var decoded = Decode(registry);
        var families = decoded.RootElement.GetProperty("families").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);

        families.Keys.ShouldBe(
            ["classic_seconds", "cpu_seconds_total", "dual_seconds", "empty_seconds", "external_total",
             "native_seconds", "pulled", "requests_total", "rpc_seconds", "temperature_celsius"],
            ignoreOrder: true);

        var requests = families["requests_total"];
        requests.GetProperty("help").GetString().ShouldBe("Requests \"quoted\"\nnewline.");
        requests.GetProperty("type").GetInt32().ShouldBe(0);
        var request = requests.GetProperty("metric").EnumerateArray().ShouldHaveSingleItem();
        Labels(request).ShouldBe(["path=/ünï", "zone=eu-1"]);
        var counter = request.GetProperty("counter");
        Double(counter.GetProperty("value")).ShouldBe(41);
        Labels(counter.GetProperty("exemplar")).ShouldBe(["trace_id=abc"]);
        Double(counter.GetProperty("exemplar").GetProperty("value")).ShouldBe(41);
        Seconds(counter.GetProperty("exemplar").GetProperty("timestamp")).ShouldBe(StartSeconds);
        Seconds(counter.GetProperty("created_timestamp")).ShouldBe(StartSeconds);

        var cpu = families["cpu_seconds_total"];
        cpu.GetProperty("unit").GetString().ShouldBe("seconds");
        Double(Metric(cpu).GetProperty("counter").GetProperty("value")).ShouldBe(0.1 + 0.2);
        BitConverter.DoubleToInt64Bits(Double(Metric(families["temperature_celsius"]).GetProperty("gauge").GetProperty("value")))
            .ShouldBe(BitConverter.DoubleToInt64Bits(-0.0));
        families["temperature_celsius"].GetProperty("type").GetInt32().ShouldBe(1);
        Double(Metric(families["pulled"]).GetProperty("gauge").GetProperty("value")).ShouldBe(12.75);
        var external = Metric(families["external_total"]).GetProperty("counter");
        Double(external.GetProperty("value")).ShouldBe(99.5);
        external.TryGetProperty("created_timestamp", out _).ShouldBeFalse();

        families["classic_seconds"].GetProperty("type").GetInt32().ShouldBe(4);
        var histogram = Metric(families["classic_seconds"]).GetProperty("histogram");
        histogram.GetProperty("sample_count").GetInt64().ShouldBe(3);
        Double(histogram.GetProperty("sample_sum")).ShouldBe(8);
        histogram.TryGetProperty("schema", out _).ShouldBeFalse();
        var buckets = histogram.GetProperty("bucket").EnumerateArray().ToArray();
        buckets.Select(b => (b.GetProperty("cumulative_count").GetInt64(), Double(b.GetProperty("upper_bound")))).ShouldBe([(1L, 0.5), (2L, 1.0), (3L, double.PositiveInfinity)]);
        Labels(buckets[0].GetProperty("exemplar")).ShouldBe(["trace_id=low"]);
        buckets[1].TryGetProperty("exemplar", out _).ShouldBeFalse();
        Double(buckets[2].GetProperty("exemplar").GetProperty("value")).ShouldBe(7);

        var rpc = Metric(families["rpc_seconds"]).GetProperty("summary");
        rpc.GetProperty("sample_count").GetInt64().ShouldBe(1);
        Double(rpc.GetProperty("sample_sum")).ShouldBe(2);
        var quantile = rpc.GetProperty("quantile").EnumerateArray().ShouldHaveSingleItem();
        (Double(quantile.GetProperty("quantile")), Double(quantile.GetProperty("value"))).ShouldBe((0.5, 2.0));
        Seconds(rpc.GetProperty("created_timestamp")).ShouldBe(StartSeconds);

        var nativeHistogram = Metric(families["native_seconds"]).GetProperty("histogram");
        nativeHistogram.GetProperty("sample_count").GetInt64().ShouldBe(3);
        Double(nativeHistogram.GetProperty("sample_sum")).ShouldBe(2.25);
        nativeHistogram.GetProperty("schema").GetInt32().ShouldBe(0);
        Double(nativeHistogram.GetProperty("zero_threshold")).ShouldBe(Math.ScaleB(1.0, -128));
        nativeHistogram.GetProperty("zero_count").GetInt64().ShouldBe(1);
        // 3 lies in (2, 4], bucket 2; -0.75 in [-1, -0.5), negative bucket 0.
        Spans(nativeHistogram, "positive").ShouldBe([(2, 1u)]);
        Deltas(nativeHistogram, "positive").ShouldBe([1L]);
        Spans(nativeHistogram, "negative").ShouldBe([(0, 1u)]);
        Deltas(nativeHistogram, "negative").ShouldBe([1L]);
        nativeHistogram.TryGetProperty("bucket", out _).ShouldBeFalse();
        var nativeExemplar = nativeHistogram.GetProperty("exemplars").EnumerateArray().ShouldHaveSingleItem();
        Labels(nativeExemplar).ShouldBe(["trace_id=n"]);
        Double(nativeExemplar.GetProperty("value")).ShouldBe(3);
        Seconds(nativeExemplar.GetProperty("timestamp")).ShouldBe(StartSeconds);
        Seconds(nativeHistogram.GetProperty("created_timestamp")).ShouldBe(StartSeconds);

        var dualHistogram = Metric(families["dual_seconds"]).GetProperty("histogram");
        dualHistogram.GetProperty("sample_count").GetInt64().ShouldBe(2);
        dualHistogram.GetProperty("bucket").EnumerateArray().Select(b => (b.GetProperty("cumulative_count").GetInt64(), Double(b.GetProperty("upper_bound"))))
            .ShouldBe([(1L, 1.0)]);
        // 0.5 lies in (0.25, 0.5], bucket -1; 8 in (4, 8], bucket 3: a gap of three empty buckets starts a second span.
        Spans(dualHistogram, "positive").ShouldBe([(-1, 1u), (3, 1u)]);
        Deltas(dualHistogram, "positive").ShouldBe([1L, 0]);

        var empty = Metric(families["empty_seconds"]).GetProperty("histogram");
        empty.GetProperty("sample_count").GetInt64().ShouldBe(0);
        Spans(empty, "positive").ShouldBe([(0, 0u)]);
        empty.TryGetProperty("positive_delta", out _).ShouldBeFalse();
    }

    [Test]
    public void Families_without_series_are_left_out_and_the_stream_is_one_delimited_message_per_family()
    {
        var registry = new MetricRegistry();
        registry.CreateCounterFamily("idle_total", "Idle.", ["path"]);
        registry.CreateGauge("level", "Level.").Set(1);

        var output = new ArrayBufferWriter<byte>();
        MetricsExposition.Write(registry, ExpositionFormat.Protobuf, output);
        using var decoded = ClientModelDecoder.Decode(output.WrittenSpan);

        decoded.RootElement.GetProperty("families").EnumerateArray().Select(f => f.GetProperty("name").GetString())
            .ShouldBe(["level"]);
    }

    [Test]
    public void A_warm_protobuf_scrape_allocates_nothing_on_the_scraping_thread()
    {
        var registry = new MetricRegistry();
        var family = registry.CreateNativeHistogramFamily("latency_seconds", "Latency.", ["route"], new NativeHistogramOptions { ClassicBuckets = [0.1, 1] });
        var counters = registry.CreateCounterFamily("requests_total", "Requests.", ["route"]);
        for (var i = 0; i < 50; i++)
        {
            family.WithLabels("/r" + i).Observe(i * 0.01);
            counters.WithLabels("/r" + i).Inc(i);
        }

        var output = new ArrayBufferWriter<byte>(1 << 20);
        MetricsExposition.Write(registry, ExpositionFormat.Protobuf, output);
        output.ResetWrittenCount();
        MetricsExposition.Write(registry, ExpositionFormat.Protobuf, output);
        output.ResetWrittenCount();

        var before = GC.GetAllocatedBytesForCurrentThread();
        MetricsExposition.Write(registry, ExpositionFormat.Protobuf, output);

        (GC.GetAllocatedBytesForCurrentThread() - before).ShouldBe(0);
    }

    private static JsonDocument Decode(MetricRegistry registry)
    {
        var output = new ArrayBufferWriter<byte>();
        MetricsExposition.Write(registry, ExpositionFormat.Protobuf, output);
        var decoded = ClientModelDecoder.Decode(output.WrittenSpan);
        var root = decoded.RootElement;
        root.GetProperty("ok").GetBoolean().ShouldBeTrue(root.TryGetProperty("error", out var error) ? error.GetString() : null);
        return decoded;
    }

    private static JsonElement Metric(JsonElement family) => family.GetProperty("metric").EnumerateArray().ShouldHaveSingleItem();

    private static string[] Labels(JsonElement message) =>
        message.TryGetProperty("label", out var labels)
            ? labels.EnumerateArray()
                .Select(l => $"{(l.TryGetProperty("name", out var n) ? n.GetString() : "")}={(l.TryGetProperty("value", out var v) ? v.GetString() : "")}")
                .ToArray()
            : [];

    private static (int Offset, uint Length)[] Spans(JsonElement histogram, string sign) =>
        histogram.GetProperty($"{sign}_span").EnumerateArray()
            .Select(s => (s.TryGetProperty("offset", out var o) ? o.GetInt32() : 0, s.TryGetProperty("length", out var l) ? l.GetUInt32() : 0u))
            .ToArray();

    private static long[] Deltas(JsonElement histogram, string sign) =>
        histogram.GetProperty($"{sign}_delta").EnumerateArray().Select(d => d.GetInt64()).ToArray();

    private static double Seconds(JsonElement timestamp) =>
        timestamp.GetProperty("seconds").GetInt64() + (timestamp.TryGetProperty("nanos", out var nanos) ? nanos.GetInt32() / 1e9 : 0);

    private static double Double(JsonElement hexBits) => ClientModelDecoder.DoubleOf(hexBits);
}
