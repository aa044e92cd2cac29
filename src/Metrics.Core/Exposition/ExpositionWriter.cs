using System.Buffers;

namespace Metrics.Exposition;

/// <summary>
/// Writes families in Prometheus text 0.0.4 or OpenMetrics 1.0.0. The formats share their sample lines and
/// differ in metadata, in the canonical form of <c>le</c>, in the order of <c>_count</c> and <c>_sum</c>, in the
/// OpenMetrics-only exemplars and <c>_created</c> samples, and in the closing <c># EOF</c>.
/// </summary>
internal static class ExpositionWriter
{
    // Bucket counts and quantiles up to this many are read into stack memory; larger layouts rent from the pool.
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
        var openMetrics = format == ExpositionFormat.OpenMetrics;
        var style = new SeriesStyle(encoding, openMetrics, openMetrics && family.EnableCreatedSamples);
        sink.Write(openMetrics ? encoding.OpenMetricsHeader : encoding.TextHeader);
        for (var i = 0; i < series.Count; i++)
        {
            WriteSeries(ref sink, style, series[i]);
        }
    }

    private static void WriteSeries(ref Utf8Sink sink, SeriesStyle style, MetricSeries series)
    {
        var encoding = style.Encoding;
        switch (series)
        {
            case Counter counter:
                WriteSampleStart(ref sink, encoding.SampleName, series.EncodedLabels);
                sink.WriteInteger(counter.Value);
                WriteCounterEnd(ref sink, style, series);
                break;
            case DoubleCounter counter:
                WriteSampleStart(ref sink, encoding.SampleName, series.EncodedLabels);
                sink.WriteDouble(counter.Value);
                WriteCounterEnd(ref sink, style, series);
                break;
            case Gauge gauge:
                WriteDoubleSample(ref sink, encoding.SampleName, series.EncodedLabels, gauge.Value);
                break;
            // One read: a collection running meanwhile cannot pair "has a value" with a value that is gone.
            case ICallbackSeries callback when callback.Source.TryRead(out var value):
                WriteDoubleSample(ref sink, encoding.SampleName, series.EncodedLabels, value);
                break;
            case Histogram histogram:
                WriteHistogram(ref sink, style, histogram);
                break;
            case Summary summary:
                WriteSummary(ref sink, style, summary);
                break;
        }
    }

    private static void WriteCounterEnd(ref Utf8Sink sink, SeriesStyle style, MetricSeries counter)
    {
        if (style.OpenMetrics)
        {
            WriteExemplar(ref sink, counter.Exemplars, 0);
        }

        sink.WriteByte((byte)'\n');
        WriteCreated(ref sink, style, counter);
    }

    private static void WriteHistogram(ref Utf8Sink sink, SeriesStyle style, Histogram histogram)
    {
        var encoding = style.Encoding;
        var bucketCount = histogram.BucketCount;
        long[]? rented = null;
        var counts = bucketCount <= StackBucketLimit
            ? stackalloc long[bucketCount]
            : (rented = ArrayPool<long>.Shared.Rent(bucketCount)).AsSpan(0, bucketCount);
        var sum = histogram.Read(counts);
        var labels = histogram.EncodedLabels;
        var bucketLabels = style.OpenMetrics ? encoding.OpenMetricsBucketLabels : encoding.TextBucketLabels;
        var exemplars = style.OpenMetrics ? histogram.Exemplars : null;
        for (var i = 0; i < counts.Length; i++)
        {
            WriteSampleStart(ref sink, encoding.BucketName, labels, bucketLabels[i]);
            sink.WriteInteger(counts[i]);
            WriteExemplar(ref sink, exemplars, i);
            sink.WriteByte((byte)'\n');
        }

        if (style.OpenMetrics)
        {
            // OpenMetrics makes _sum a counter, never negative or NaN: it forbids _sum when buckets can hold
            // negative observations, and while negative observations (or both infinities) have made it so anyway;
            // it allows _count only beside _sum. The +Inf bucket still carries the count.
            if (!encoding.HasNegativeBuckets && IsCounterLike(sum))
            {
                WriteCount(ref sink, encoding, labels, counts[^1]);
                WriteDoubleSample(ref sink, encoding.SumName, labels, sum);
            }

            WriteCreated(ref sink, style, histogram);
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

    private static void WriteSummary(ref Utf8Sink sink, SeriesStyle style, Summary summary)
    {
        var encoding = style.Encoding;
        var quantileCount = summary.QuantileCount;
        double[]? rented = null;
        var values = quantileCount <= StackBucketLimit
            ? stackalloc double[quantileCount]
            : (rented = ArrayPool<double>.Shared.Rent(quantileCount)).AsSpan(0, quantileCount);
        var count = summary.Read(values, out var sum);
        var labels = summary.EncodedLabels;
        var quantileLabels = style.OpenMetrics ? encoding.OpenMetricsQuantileLabels : encoding.TextQuantileLabels;
        for (var i = 0; i < values.Length; i++)
        {
            // OpenMetrics forbids negative quantile values; NaN, for an empty window, is allowed.
            if (style.OpenMetrics && values[i] < 0)
            {
                continue;
            }

            WriteSampleStart(ref sink, encoding.SampleName, labels, quantileLabels[i]);
            sink.WriteDouble(values[i]);
            sink.WriteByte((byte)'\n');
        }

        if (style.OpenMetrics)
        {
            // As for histograms, OpenMetrics' _sum is a counter; unlike them, a summary's _count may stand alone.
            WriteCount(ref sink, encoding, labels, count);
            if (IsCounterLike(sum))
            {
                WriteDoubleSample(ref sink, encoding.SumName, labels, sum);
            }

            WriteCreated(ref sink, style, summary);
        }
        else
        {
            WriteDoubleSample(ref sink, encoding.SumName, labels, sum);
            WriteCount(ref sink, encoding, labels, count);
        }

        if (rented is not null)
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    /// <summary>Writes <c> # {labels} value timestamp</c> when <paramref name="slot"/> holds an exemplar; OpenMetrics only.</summary>
    private static void WriteExemplar(ref Utf8Sink sink, ExemplarStore? exemplars, int slot)
    {
        if (exemplars is null || !exemplars.TryRead(slot, out var labels, out var value, out var timestamp))
        {
            return;
        }

        sink.Write(" # {"u8);
        for (var i = 0; i < labels.Count; i++)
        {
            if (i > 0)
            {
                sink.WriteByte((byte)',');
            }

            var (name, labelValue) = labels[i];
            sink.WriteUtf8(name);
            sink.Write("=\""u8);
            sink.WriteEscapedLabelValue(labelValue);
            sink.WriteByte((byte)'"');
        }

        sink.Write("} "u8);
        sink.WriteCanonicalDouble(value);
        sink.WriteByte((byte)' ');
        sink.WriteTimestamp(timestamp);
    }

    private static void WriteCreated(ref Utf8Sink sink, SeriesStyle style, MetricSeries series)
    {
        if (!style.Created)
        {
            return;
        }

        WriteSampleStart(ref sink, style.Encoding.CreatedName, series.EncodedLabels);
        sink.WriteCanonicalDouble(series.CreatedSeconds);
        sink.WriteByte((byte)'\n');
    }

    // Neither negative nor NaN (-0 counts as zero).
    private static bool IsCounterLike(double sum) => sum >= 0;

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

    /// <summary>Writes <c>name{labels,extra} </c>, for the <c>le</c> of buckets and the <c>quantile</c> of summaries.</summary>
    private static void WriteSampleStart(ref Utf8Sink sink, byte[] name, byte[] labels, byte[] extraLabel)
    {
        sink.Write(name);
        sink.WriteByte((byte)'{');
        if (labels.Length > 0)
        {
            sink.Write(labels);
            sink.WriteByte((byte)',');
        }

        sink.Write(extraLabel);
        sink.Write("} "u8);
    }

    /// <summary>How one family's series are written: its cached bytes, the format, and whether <c>_created</c> is on.</summary>
    private readonly record struct SeriesStyle(FamilyEncoding Encoding, bool OpenMetrics, bool Created);
}
