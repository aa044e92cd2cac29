using System.Buffers;

namespace Metrics.Exposition;

/// <summary>
/// Writes families in Prometheus text 0.0.4 or OpenMetrics 1.0.0. The formats share their sample lines and
/// differ in metadata, in the canonical form of <c>le</c>, in the order of <c>_count</c> and <c>_sum</c>, and in
/// the closing <c># EOF</c>.
/// </summary>
internal static class ExpositionWriter
{
    // Bucket counts up to this many are read into stack memory; larger layouts rent from the pool.
    private const int StackBucketLimit = 128;

    // Scrape path: copies cached bytes and formats numbers; allocates nothing beyond the output's own buffers.
    public static void Write(MetricFamily[] families, ExpositionFormat format, IBufferWriter<byte> output)
    {
        var sink = new Utf8Sink(output);
        foreach (var family in families)
        {
            WriteFamily(ref sink, family, format);
        }

        if (format == ExpositionFormat.OpenMetrics)
        {
            sink.Write("# EOF\n"u8);
        }

        sink.Flush();
    }

    private static void WriteFamily(ref Utf8Sink sink, MetricFamily family, ExpositionFormat format)
    {
        var series = family.Series;
        if (!ExpositionRules.HasSamples(family, series))
        {
            return;
        }

        var encoding = family.Encoding;
        sink.Write(format == ExpositionFormat.OpenMetrics ? encoding.OpenMetricsHeader : encoding.TextHeader);
        for (var i = 0; i < series.Count; i++)
        {
            WriteSeries(ref sink, encoding, series[i], format);
        }
    }

    private static void WriteSeries(ref Utf8Sink sink, FamilyEncoding encoding, MetricSeries series, ExpositionFormat format)
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
            case CallbackCounter counter when counter.HasValue:
                WriteDoubleSample(ref sink, encoding.SampleName, series.EncodedLabels, counter.Value);
                break;
            case Histogram histogram:
                WriteHistogram(ref sink, encoding, histogram, format);
                break;
        }
    }

    private static void WriteHistogram(ref Utf8Sink sink, FamilyEncoding encoding, Histogram histogram, ExpositionFormat format)
    {
        var bucketCount = histogram.BucketCount;
        long[]? rented = null;
        var counts = bucketCount <= StackBucketLimit
            ? stackalloc long[bucketCount]
            : (rented = ArrayPool<long>.Shared.Rent(bucketCount)).AsSpan(0, bucketCount);
        var sum = histogram.Read(counts);
        var labels = histogram.EncodedLabels;
        var openMetrics = format == ExpositionFormat.OpenMetrics;
        var bucketLabels = openMetrics ? encoding.OpenMetricsBucketLabels : encoding.TextBucketLabels;
        for (var i = 0; i < counts.Length; i++)
        {
            sink.Write(encoding.BucketName);
            sink.WriteByte((byte)'{');
            if (labels.Length > 0)
            {
                sink.Write(labels);
                sink.WriteByte((byte)',');
            }

            sink.Write(bucketLabels[i]);
            sink.Write("} "u8);
            sink.WriteInteger(counts[i]);
            sink.WriteByte((byte)'\n');
        }

        if (openMetrics)
        {
            WriteCount(ref sink, encoding, labels, counts[^1]);
            // OpenMetrics forbids _sum when buckets can hold negative observations: the sum would not be counter-like.
            if (!encoding.HasNegativeBuckets)
            {
                WriteDoubleSample(ref sink, encoding.SumName, labels, sum);
            }
        }
        else
        {
            WriteDoubleSample(ref sink, encoding.SumName, labels, sum);
            WriteCount(ref sink, encoding, labels, counts[^1]);
        }

        if (rented is not null)
        {
            ArrayPool<long>.Shared.Return(rented);
        }
    }

    private static void WriteCount(ref Utf8Sink sink, FamilyEncoding encoding, byte[] labels, long count)
    {
        WriteSampleStart(ref sink, encoding.CountName, labels);
        sink.WriteInteger(count);
        sink.WriteByte((byte)'\n');
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
