using System.Buffers;

namespace Metrics.Exposition;

/// <summary>
/// Writes families in Prometheus text 0.0.4 or OpenMetrics 1.0.0. The formats share their sample lines and
/// differ in metadata, in the canonical form of <c>le</c>, in the order of <c>_count</c> and <c>_sum</c>, in the
/// OpenMetrics-only exemplars and <c>_created</c> samples, and in the closing <c># EOF</c>.
/// </summary>
internal struct ExpositionWriter : ISeriesReader
{
    private readonly bool _openMetrics;
    private Utf8Sink _sink;
    private MetricFamily? _family;
    private FamilyEncoding _encoding;
    private bool _created;

    private ExpositionWriter(IBufferWriter<byte> output, bool openMetrics)
    {
        _sink = new Utf8Sink(output);
        _openMetrics = openMetrics;
        _encoding = null!;
    }

    // Scrape path: copies cached bytes and formats numbers; allocates nothing beyond the output's own buffers.
    public static void Write(MetricFamily[] families, ExpositionFormat format, IBufferWriter<byte> output)
    {
        var writer = new ExpositionWriter(output, format == ExpositionFormat.OpenMetrics);
        foreach (var family in families)
        {
            // The metadata waits for the family's first sample: a family with no series, or only failed callbacks,
            // writes no HELP and TYPE lines either, so an idle labeled family leaves no orphan metadata.
            writer._family = family;
            family.Read(ref writer);
        }

        if (writer._openMetrics)
        {
            writer._sink.Write("# EOF\n"u8);
        }

        writer._sink.Flush();
    }

    public void Counter(MetricSeries series, long total)
    {
        WriteSampleStart(Header().SampleName, series.EncodedLabels);
        _sink.WriteInteger(total);
        WriteCounterEnd(series);
    }

    public void Counter(MetricSeries series, double total)
    {
        WriteSampleStart(Header().SampleName, series.EncodedLabels);
        _sink.WriteDouble(total);
        WriteCounterEnd(series);
    }

    public void ExternalCounter(MetricSeries series, double total) =>
        WriteDoubleSample(Header().SampleName, series.EncodedLabels, total);

    public void Gauge(MetricSeries series, double value) =>
        WriteDoubleSample(Header().SampleName, series.EncodedLabels, value);

    public void Histogram(Histogram series, ReadOnlySpan<long> cumulativeCounts, double sum) =>
        WriteHistogram(series, _openMetrics ? series.Exemplars : null, cumulativeCounts, sum, series.CreatedSeconds);

    // The text formats carry no native buckets: a native histogram shows its classic view, whose _created is the
    // series' creation for classic buckets, and the start of the native counts for the +Inf bucket alone.
    public void NativeHistogram(NativeHistogram series, NativeHistogramSnapshot native, ReadOnlySpan<long> cumulativeCounts, double sum) =>
        WriteHistogram(
            series,
            _openMetrics ? series.ClassicExemplars : null,
            cumulativeCounts,
            sum,
            series.ClassicUpperBounds.Count == 0 ? series.NativeCreatedSeconds : series.CreatedSeconds);

    private void WriteHistogram(MetricSeries series, ExemplarStore? exemplars, ReadOnlySpan<long> cumulativeCounts, double sum, double createdSeconds)
    {
        var encoding = Header();
        var labels = series.EncodedLabels;
        var bucketLabels = _openMetrics ? encoding.OpenMetricsBucketLabels : encoding.TextBucketLabels;
        for (var i = 0; i < cumulativeCounts.Length; i++)
        {
            WriteSampleStart(encoding.BucketName, labels, bucketLabels[i]);
            _sink.WriteInteger(cumulativeCounts[i]);
            WriteExemplar(exemplars, i);
            _sink.WriteByte((byte)'\n');
        }

        if (_openMetrics)
        {
            // OpenMetrics makes _sum a counter, never negative or NaN: it forbids _sum when buckets can hold
            // negative observations, and while negative observations (or both infinities) have made it so anyway;
            // it allows _count only beside _sum. The +Inf bucket still carries the count.
            if (!encoding.HasNegativeBuckets && IsCounterLike(sum))
            {
                WriteCount(labels, cumulativeCounts[^1]);
                WriteDoubleSample(encoding.SumName, labels, sum);
            }

            WriteCreated(series, createdSeconds);
        }
        else
        {
            WriteDoubleSample(encoding.SumName, labels, sum);
            WriteCount(labels, cumulativeCounts[^1]);
        }
    }

    public void Summary(Summary series, ReadOnlySpan<double> quantileValues, long count, double sum)
    {
        var encoding = Header();
        var labels = series.EncodedLabels;
        var quantileLabels = _openMetrics ? encoding.OpenMetricsQuantileLabels : encoding.TextQuantileLabels;
        for (var i = 0; i < quantileValues.Length; i++)
        {
            // OpenMetrics forbids negative quantile values; NaN, for an empty window, is allowed.
            if (_openMetrics && quantileValues[i] < 0)
            {
                continue;
            }

            WriteSampleStart(encoding.SampleName, labels, quantileLabels[i]);
            _sink.WriteDouble(quantileValues[i]);
            _sink.WriteByte((byte)'\n');
        }

        if (_openMetrics)
        {
            // As for histograms, OpenMetrics' _sum is a counter; unlike them, a summary's _count may stand alone.
            WriteCount(labels, count);
            if (IsCounterLike(sum))
            {
                WriteDoubleSample(encoding.SumName, labels, sum);
            }

            WriteCreated(series);
        }
        else
        {
            WriteDoubleSample(encoding.SumName, labels, sum);
            WriteCount(labels, count);
        }
    }

    // Neither negative nor NaN (-0 counts as zero).
    private static bool IsCounterLike(double sum) => sum >= 0;

    /// <summary>The current family's cached bytes, after writing its metadata if this is its first sample.</summary>
    private FamilyEncoding Header()
    {
        if (_family is { } family)
        {
            _family = null;
            _encoding = family.Encoding;
            _created = _openMetrics && family.EnableCreatedSamples;
            _sink.Write(_openMetrics ? _encoding.OpenMetricsHeader : _encoding.TextHeader);
        }

        return _encoding;
    }

    private void WriteCounterEnd(MetricSeries counter)
    {
        if (_openMetrics)
        {
            WriteExemplar(counter.Exemplars, 0);
        }

        _sink.WriteByte((byte)'\n');
        WriteCreated(counter);
    }

    /// <summary>Writes <c> # {labels} value timestamp</c> when <paramref name="slot"/> holds an exemplar; OpenMetrics only.</summary>
    private void WriteExemplar(ExemplarStore? exemplars, int slot)
    {
        if (exemplars is null || !exemplars.TryRead(slot, out var labels, out var value, out var timestamp))
        {
            return;
        }

        _sink.Write(" # {"u8);
        for (var i = 0; i < labels.Count; i++)
        {
            if (i > 0)
            {
                _sink.WriteByte((byte)',');
            }

            var (name, labelValue) = labels[i];
            _sink.WriteUtf8(name);
            _sink.Write("=\""u8);
            _sink.WriteEscapedLabelValue(labelValue);
            _sink.WriteByte((byte)'"');
        }

        _sink.Write("} "u8);
        _sink.WriteCanonicalDouble(value);
        _sink.WriteByte((byte)' ');
        _sink.WriteTimestamp(timestamp);
    }

    private void WriteCreated(MetricSeries series) => WriteCreated(series, series.CreatedSeconds);

    private void WriteCreated(MetricSeries series, double createdSeconds)
    {
        if (!_created)
        {
            return;
        }

        WriteSampleStart(_encoding.CreatedName, series.EncodedLabels);
        _sink.WriteCanonicalDouble(createdSeconds);
        _sink.WriteByte((byte)'\n');
    }

    private void WriteCount(byte[] labels, long count)
    {
        WriteSampleStart(_encoding.CountName, labels);
        _sink.WriteInteger(count);
        _sink.WriteByte((byte)'\n');
    }

    private void WriteDoubleSample(byte[] name, byte[] labels, double value)
    {
        WriteSampleStart(name, labels);
        _sink.WriteDouble(value);
        _sink.WriteByte((byte)'\n');
    }

    private void WriteSampleStart(byte[] name, byte[] labels)
    {
        _sink.Write(name);
        if (labels.Length > 0)
        {
            _sink.WriteByte((byte)'{');
            _sink.Write(labels);
            _sink.WriteByte((byte)'}');
        }

        _sink.WriteByte((byte)' ');
    }

    /// <summary>Writes <c>name{labels,extra} </c>, for the <c>le</c> of buckets and the <c>quantile</c> of summaries.</summary>
    private void WriteSampleStart(byte[] name, byte[] labels, byte[] extraLabel)
    {
        _sink.Write(name);
        _sink.WriteByte((byte)'{');
        if (labels.Length > 0)
        {
            _sink.Write(labels);
            _sink.WriteByte((byte)',');
        }

        _sink.Write(extraLabel);
        _sink.Write("} "u8);
    }
}
