using System.Diagnostics.Metrics;
using Metrics.Testing;

namespace Metrics.Tests.Bridge;

public class MeterBridgeExpositionTests
{
    [Test]
    public void Every_instrument_type_renders_as_its_prometheus_type_with_converted_names_units_and_labels()
    {
        using var bridged = new BridgedTestMeter(options => options.HistogramBuckets = [100, 1000]);
        RecordEveryInstrumentType(bridged.Meter);

        bridged.Render().ShouldBe("""
            # HELP metrics_bridge_dropped_total Measurements of bridged System.Diagnostics.Metrics instruments that were dropped (name_collision, invalid_value) or recorded without a tag the family lacks (unknown_tag).
            # TYPE metrics_bridge_dropped_total counter
            metrics_bridge_dropped_total{reason="unknown_tag"} 0
            metrics_bridge_dropped_total{reason="name_collision"} 0
            metrics_bridge_dropped_total{reason="invalid_value"} 0
            # HELP test_active Connections open now.
            # TYPE test_active gauge
            test_active 3
            # HELP test_cpu_time_seconds_total CPU time used.
            # TYPE test_cpu_time_seconds_total counter
            test_cpu_time_seconds_total{cpu_mode="user"} 1.5
            # HELP test_duration_seconds Time taken.
            # TYPE test_duration_seconds histogram
            test_duration_seconds_bucket{route="/a",le="0.1"} 1
            test_duration_seconds_bucket{route="/a",le="1"} 2
            test_duration_seconds_bucket{route="/a",le="+Inf"} 3
            test_duration_seconds_sum{route="/a"} 2.5625
            test_duration_seconds_count{route="/a"} 3
            # HELP test_gc_collections_total Collections so far.
            # TYPE test_gc_collections_total counter
            test_gc_collections_total{gc_heap_generation="gen0"} 7
            test_gc_collections_total{gc_heap_generation="gen1"} 2
            # HELP test_memory_bytes Memory in use.
            # TYPE test_memory_bytes gauge
            test_memory_bytes 1024
            # HELP test_requests_total Requests served.
            # TYPE test_requests_total counter
            test_requests_total{http_request_method="GET",http_response_status_code="200"} 5
            test_requests_total{http_request_method="POST",http_response_status_code="503"} 1
            # HELP test_size_bytes Sizes seen.
            # TYPE test_size_bytes histogram
            test_size_bytes_bucket{le="100"} 1
            test_size_bytes_bucket{le="1000"} 1
            test_size_bytes_bucket{le="+Inf"} 2
            test_size_bytes_sum 5050
            test_size_bytes_count 2
            # HELP test_temperature_celsius Temperature now.
            # TYPE test_temperature_celsius gauge
            test_temperature_celsius 19.5
            # HELP test_utilization_ratio Share of capacity in use.
            # TYPE test_utilization_ratio gauge
            test_utilization_ratio 0.25

            """);
    }

    [Test]
    public void OpenMetrics_output_carries_the_unit_taken_from_the_instrument()
    {
        using var bridged = new BridgedTestMeter();
        bridged.Meter.CreateCounter<double>("test.cpu.time", "s", "CPU time used.").Add(1.5);
        bridged.Meter.CreateUpDownCounter<long>("test.queue", "{item}", "Items queued.").Add(4);

        var output = bridged.Render(ExpositionFormat.OpenMetrics);

        output.ShouldContain("""
            # TYPE test_cpu_time_seconds counter
            # UNIT test_cpu_time_seconds seconds
            # HELP test_cpu_time_seconds CPU time used.
            test_cpu_time_seconds_total 1.5
            # TYPE test_queue gauge
            # HELP test_queue Items queued.
            test_queue 4
            # EOF

            """);
    }

    [Test]
    public void Promtool_accepts_the_bridged_output_of_every_instrument_type()
    {
        using var bridged = new BridgedTestMeter();
        RecordEveryInstrumentType(bridged.Meter);

        var result = Promtool.CheckMetrics(bridged.Render());

        result.Output.ShouldBeEmpty();
        result.ExitCode.ShouldBe(0);
    }

    [Test]
    public void Observable_instruments_are_read_at_each_collection_and_counters_take_the_reported_total()
    {
        using var bridged = new BridgedTestMeter();
        long total = 10;
        var reads = 0;
        bridged.Meter.CreateObservableCounter("test.reads", () =>
        {
            reads++;
            return total;
        });

        bridged.RenderBridged().ShouldBe("# TYPE test_reads_total counter\ntest_reads_total 10\n");
        total = 25;
        bridged.RenderBridged().ShouldBe("# TYPE test_reads_total counter\ntest_reads_total 25\n");
        reads.ShouldBe(2);
    }

    [Test]
    public void Histogram_without_advice_in_seconds_takes_the_prometheus_default_buckets()
    {
        using var bridged = new BridgedTestMeter();
        bridged.Meter.CreateHistogram<double>("test.wait", "s").Record(0.3);

        var histogram = bridged.Registry.Families.OfType<MetricFamily<Histogram>>().Single();
        histogram.WithLabels([]).UpperBounds.ShouldBe(HistogramBuckets.Default);
    }

    [Test]
    public void Histograms_bridge_as_native_histograms_when_the_option_gives_native_settings()
    {
        using var bridged = new BridgedTestMeter(options => options.NativeHistograms = new NativeHistogramOptions { BucketFactor = 2 });
        var instrument = bridged.Meter.CreateHistogram<double>("test.wait", "s");
        instrument.Record(1);
        instrument.Record(3);
        instrument.Record(3);

        var family = bridged.Registry.Families.OfType<MetricFamily<NativeHistogram>>().Single();
        family.Name.ShouldBe("test_wait_seconds");
        var read = Instruments.NativeHistogramRead.Of(family.WithLabels([]));
        read.Positive.ShouldBe([new NativeBucket(0, 1), new NativeBucket(2, 2)]);
        read.Sum.ShouldBe(7);
        bridged.Registry.Families.OfType<MetricFamily<Histogram>>().ShouldBeEmpty();
    }

    [Test]
    public void Histogram_without_advice_in_other_units_takes_the_opentelemetry_default_buckets()
    {
        using var bridged = new BridgedTestMeter();
        bridged.Meter.CreateHistogram<double>("test.latency", "ms").Record(3);

        var histogram = bridged.Registry.Families.OfType<MetricFamily<Histogram>>().Single();
        histogram.Name.ShouldBe("test_latency_milliseconds");
        histogram.WithLabels([]).UpperBounds.ShouldBe([0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000]);
    }

    [Test]
    public void Histogram_advice_ending_in_positive_infinity_keeps_its_finite_bounds()
    {
        using var bridged = new BridgedTestMeter(options => options.HistogramBuckets = [1, 2]);
        var advice = new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 5, double.PositiveInfinity] };
        bridged.Meter.CreateHistogram("test.advised", "s", "Advised.", null, advice).Record(1);

        bridged.Registry.Families.OfType<MetricFamily<Histogram>>().Single().WithLabels([]).UpperBounds.ShouldBe([0.5, 5]);
    }

    [Test]
    public void Histogram_advice_starting_at_negative_infinity_falls_back_to_the_option_buckets()
    {
        using var bridged = new BridgedTestMeter(options => options.HistogramBuckets = [1, 2]);
        var advice = new InstrumentAdvice<double> { HistogramBucketBoundaries = [double.NegativeInfinity, 0.5] };
        bridged.Meter.CreateHistogram("test.odd", "s", "Odd.", null, advice).Record(1);

        bridged.Registry.Families.OfType<MetricFamily<Histogram>>().Single().WithLabels([]).UpperBounds.ShouldBe([1, 2]);
    }

    [TestCase(new double[0], TestName = "Histogram_advice_with_no_bounds_falls_back_to_the_option_buckets")]
    [TestCase(new[] { double.PositiveInfinity }, TestName = "Histogram_advice_of_only_positive_infinity_falls_back_to_the_option_buckets")]
    public void Histogram_advice_with_no_finite_bound_falls_back_to_the_option_buckets(double[] bounds)
    {
        using var bridged = new BridgedTestMeter(options => options.HistogramBuckets = [1, 2]);
        var advice = new InstrumentAdvice<double> { HistogramBucketBoundaries = bounds };
        bridged.Meter.CreateHistogram("test.unbounded", "s", "No finite bound.", null, advice).Record(1.5);

        bridged.Registry.Families.OfType<MetricFamily<Histogram>>().Single().WithLabels([]).UpperBounds.ShouldBe([1, 2]);
        bridged.Registry.Collect().Find("test_unbounded_seconds")!.Series[0].Histogram!.Count.ShouldBe(1);
    }

    [Test]
    public void Long_histogram_advice_whose_bounds_collide_as_doubles_falls_back_to_the_option_buckets()
    {
        using var bridged = new BridgedTestMeter(options => options.HistogramBuckets = [1, 2]);
        // Distinct as longs, one double apart from neither: 2^53 + 1 converts to 2^53.
        var advice = new InstrumentAdvice<long> { HistogramBucketBoundaries = [9_007_199_254_740_992L, 9_007_199_254_740_993L] };
        bridged.Meter.CreateHistogram("test.huge", "By", "Huge.", null, advice).Record(1);

        bridged.Registry.Families.OfType<MetricFamily<Histogram>>().Single().WithLabels([]).UpperBounds.ShouldBe([1, 2]);
    }

    private static void RecordEveryInstrumentType(Meter meter)
    {
        var requests = meter.CreateCounter<long>("test.requests", "{request}", "Requests served.");
        requests.Add(3, new("http.request.method", "GET"), new("http.response.status_code", 200));
        // The same tags in the other order reach the same series.
        requests.Add(2, new("http.response.status_code", 200), new("http.request.method", "GET"));
        requests.Add(1, new("http.request.method", "POST"), new("http.response.status_code", 503));

        meter.CreateCounter<double>("test.cpu.time", "s", "CPU time used.").Add(1.5, new KeyValuePair<string, object?>("cpu.mode", "user"));

        meter.CreateObservableCounter("test.gc.collections", () => new[]
        {
            new Measurement<long>(7, new KeyValuePair<string, object?>("gc.heap.generation", "gen0")),
            new Measurement<long>(2, new KeyValuePair<string, object?>("gc.heap.generation", "gen1")),
        }, "{collection}", "Collections so far.");

        var active = meter.CreateUpDownCounter<int>("test.active", "{connection}", "Connections open now.");
        active.Add(5);
        active.Add(-2);

        meter.CreateObservableUpDownCounter("test.memory", () => 1024L, "By", "Memory in use.");
        meter.CreateObservableGauge("test.utilization", () => 0.25, "1", "Share of capacity in use.");

        var temperature = meter.CreateGauge<double>("test.temperature", "Cel", "Temperature now.");
        temperature.Record(21.5);
        temperature.Record(19.5);

        var duration = meter.CreateHistogram("test.duration", "s", "Time taken.", null, new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1] });
        duration.Record(0.0625, new KeyValuePair<string, object?>("route", "/a"));
        duration.Record(0.5, new KeyValuePair<string, object?>("route", "/a"));
        duration.Record(2, new KeyValuePair<string, object?>("route", "/a"));

        var size = meter.CreateHistogram<int>("test.size", "By", "Sizes seen.");
        size.Record(50);
        size.Record(5000);
    }
}
