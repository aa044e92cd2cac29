using System.Buffers;

namespace Metrics.Exposition;

/// <summary>Writes families in Prometheus text format 0.0.4.</summary>
internal static class PrometheusTextWriter
{
    // Bucket counts up to this many are read into stack memory; larger layouts rent from the pool.
    private const int StackBucketLimit = 128;

    // Scrape path: copies cached bytes and formats numbers; allocates nothing beyond the output's own buffers.
    public static void Write(MetricFamily[] families, IBufferWriter<byte> output)
    {
        var sink = new Utf8Sink(output);
        foreach (var family in families)
        {
            WriteFamily(ref sink, family);
        }

        sink.Flush();
    }

    private static void WriteFamily(ref Utf8Sink sink, MetricFamily family)
    {
        var series = family.Series;
        if (!ExpositionRules.HasSamples(family, series))
        {
            return;
        }

        var encoding = family.Encoding;
        sink.Write(encoding.TextHeader);
        for (var i = 0; i < series.Count; i++)
        {
            WriteSeries(ref sink, encoding, series[i]);
        }
    }

    private static void WriteSeries(ref Utf8Sink sink, FamilyEncoding encoding, MetricSeries series)
    {
        switch (series)
        {
            case Counter counter:
                WriteSampleStart(ref sink, encoding.SampleName, series.EncodedLabels);
                sink.WriteInteger(counter.Value);
                sink.WriteByte((byte)'\n');
                break;
            case DoubleCounter counter:
                WriteDoubleSample(ref sink, encoding.SampleName, series.EncodedLabels, counter.Value);
                break;
            case Gauge gauge:
                WriteDoubleSample(ref sink, encoding.SampleName, series.EncodedLabels, gauge.Value);
                break;
            case CallbackGauge gauge when gauge.HasValue:
                WriteDoubleSample(ref sink, encoding.SampleName, series.EncodedLabels, gauge.Value);
                break;
            case Histogram histogram:
                WriteHistogram(ref sink, encoding, histogram);
                break;
        }
    }

    private static void WriteHistogram(ref Utf8Sink sink, FamilyEncoding encoding, Histogram histogram)
    {
        var bucketCount = histogram.BucketCount;
        long[]? rented = null;
        var counts = bucketCount <= StackBucketLimit
            ? stackalloc long[bucketCount]
            : (rented = ArrayPool<long>.Shared.Rent(bucketCount)).AsSpan(0, bucketCount);
        var sum = histogram.Read(counts);
        var labels = histogram.EncodedLabels;
        for (var i = 0; i < counts.Length; i++)
        {
            sink.Write(encoding.BucketName);
            sink.WriteByte((byte)'{');
            if (labels.Length > 0)
            {
                sink.Write(labels);
                sink.WriteByte((byte)',');
            }

            sink.Write(encoding.TextBucketLabels[i]);
            sink.Write("} "u8);
            sink.WriteInteger(counts[i]);
            sink.WriteByte((byte)'\n');
        }

        WriteDoubleSample(ref sink, encoding.SumName, labels, sum);
        WriteSampleStart(ref sink, encoding.CountName, labels);
        sink.WriteInteger(counts[^1]);
        sink.WriteByte((byte)'\n');
        if (rented is not null)
        {
            ArrayPool<long>.Shared.Return(rented);
        }
    }

    private static void WriteDoubleSample(ref Utf8Sink sink, byte[] name, byte[] labels, double value)
    {
        WriteSampleStart(ref sink, name, labels);
        sink.WriteDouble(value);
        sink.WriteByte((byte)'\n');
    }

    private static void WriteSampleStart(ref Utf8Sink sink, byte[] name, byte[] labels)
    {
        sink.Write(name);
        if (labels.Length > 0)
        {
            sink.WriteByte((byte)'{');
            sink.Write(labels);
            sink.WriteByte((byte)'}');
        }

        sink.WriteByte((byte)' ');
    }
}
