using System.Buffers;
using BenchmarkDotNet.Attributes;
using Prom = Prometheus;

namespace Metrics.Benchmarks;

/// <summary>
/// Row 8: render a registry of 100 families × 100 series (counters, gauges and histograms with the default buckets,
/// 3 labels each), in text, OpenMetrics and protobuf. Ours writes into a reused buffer; prometheus-net writes to <see cref="Stream.Null"/>.
/// OpenTelemetry is left out: its Prometheus serializer is internal and only reachable through an HTTP listener,
/// which would add a socket round trip to its side of the comparison.
/// </summary>
[MemoryDiagnoser]
public class ScrapeBenchmarks
{
    private const int Families = 100;
    private const int SeriesPerFamily = 100;

    private readonly ArrayBufferWriter<byte> _buffer = new(4 * 1024 * 1024);
    private MetricRegistry _ours = null!;
    private Competitors _competitors = null!;

    [GlobalSetup]
    public void Setup()
    {
        _ours = new MetricRegistry();
        _competitors = new Competitors();
        var factory = _competitors.PrometheusFactory;
        string[] labels = ["route", "method", "status"];
        for (var f = 0; f < Families; f++)
        {
            for (var s = 0; s < SeriesPerFamily; s++)
            {
                var route = "/v1/route" + s;
                var method = (s & 1) == 0 ? "GET" : "POST";
                var status = (200 + (s % 5)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                var value = (f * SeriesPerFamily) + s + 0.5;
                switch (f % 3)
                {
                    case 0:
                        _ours.CreateCounterFamily($"family_{f}_total", "Counter family.", labels).WithLabels(route, method, status).Inc((long)value);
                        factory.CreateCounter($"family_{f}_total", "Counter family.", labels).WithLabels(route, method, status).Inc((long)value);
                        break;
                    case 1:
                        _ours.CreateGaugeFamily($"family_{f}", "Gauge family.", labels).WithLabels(route, method, status).Set(value);
                        factory.CreateGauge($"family_{f}", "Gauge family.", labels).WithLabels(route, method, status).Set(value);
                        break;
                    default:
                        _ours.CreateHistogramFamily($"family_{f}_seconds", "Histogram family.", labels).WithLabels(route, method, status).Observe(value / 1000);
                        factory.CreateHistogram($"family_{f}_seconds", "Histogram family.", labels).WithLabels(route, method, status).Observe(value / 1000);
                        break;
                }
            }
        }

        // Warm the per-series encoding caches, as every scrape after the first finds them; the sizes go to the log,
        // since a benchmark's table shows time and allocation only.
        Console.WriteLine($"// Scrape bytes: text {OursText()}, OpenMetrics {OursOpenMetrics()}, protobuf {OursProtobuf()}");
    }

    [GlobalCleanup]
    public void Cleanup() => _competitors.Dispose();

    [Benchmark(Baseline = true)]
    public int OursText()
    {
        _buffer.ResetWrittenCount();
        MetricsExposition.Write(_ours, ExpositionFormat.PrometheusText, _buffer);
        return _buffer.WrittenCount;
    }

    [Benchmark]
    public int OursOpenMetrics()
    {
        _buffer.ResetWrittenCount();
        MetricsExposition.Write(_ours, ExpositionFormat.OpenMetrics, _buffer);
        return _buffer.WrittenCount;
    }

    [Benchmark]
    public int OursProtobuf()
    {
        _buffer.ResetWrittenCount();
        MetricsExposition.Write(_ours, ExpositionFormat.Protobuf, _buffer);
        return _buffer.WrittenCount;
    }

    [Benchmark]
    public Task PrometheusNetText() => _competitors.PrometheusRegistry.CollectAndExportAsTextAsync(Stream.Null);

    [Benchmark]
    public Task PrometheusNetOpenMetrics() =>
        _competitors.PrometheusRegistry.CollectAndExportAsTextAsync(Stream.Null, Prom.ExpositionFormat.OpenMetricsText);
}
