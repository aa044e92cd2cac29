using System.Buffers;
using static Metrics.Exposition.Protobuf.ProtobufEncoding;
using Fields = Metrics.Exposition.Protobuf.ClientModelFields;

namespace Metrics.Exposition.Protobuf;

/// <summary>
/// Writes families in the protobuf exposition format: length-delimited <c>io.prometheus.client.MetricFamily</c>
/// messages, each prefixed by its varint size, the format Prometheus asks for first when native histograms are on.
/// </summary>
/// <remarks>
/// <para>
/// What differs from the text formats: counters keep <c>_total</c> in the family name and carry their exemplar and
/// creation time in the <c>Counter</c> message; a classic histogram lists its finite buckets (the <c>+Inf</c> bucket
/// is its <c>sample_count</c>, and is listed only to carry an exemplar, as client_golang does); a native histogram
/// carries its schema, zero bucket, spans and deltas and its latest exemplars, plus its classic buckets when it has
/// them, in one <c>Histogram</c> message whose <c>sample_count</c> and <c>sample_sum</c> are the native ones;
/// creation times are <c>created_timestamp</c> fields, written when the family writes OpenMetrics <c>_created</c>.
/// An empty native histogram with a zero threshold of zero carries a no-op span, so it is not read as a classic one.
/// </para>
/// <para>
/// A message's size comes before its content, so each family's metrics are written into a scratch buffer first and
/// each histogram's content into a second one; both belong to the scraping thread and are reused by its next scrape.
/// </para>
/// </remarks>
internal struct ProtobufExpositionWriter : ISeriesReader
{
    // A thread keeps its scratch buffers for its next scrape unless a huge family made them larger than this.
    private const int RetainedScratchLimit = 1 << 20;

    [ThreadStatic]
    private static ProtobufScratch? t_scratch;

    private readonly ProtobufScratch _scratch;
    private ProtobufWriter _metrics;
    private ProtobufWriter _content;
    private bool _created;

    private ProtobufExpositionWriter(ProtobufScratch scratch)
    {
        _scratch = scratch;
        _metrics = new ProtobufWriter(scratch.Metrics);
        _content = new ProtobufWriter(scratch.Content);
    }

    // Scrape path: copies cached bytes and encodes numbers; allocates nothing once this thread's scratch buffers have grown.
    public static void Write(MetricFamily[] families, IBufferWriter<byte> output)
    {
        var scratch = t_scratch ?? new ProtobufScratch();
        t_scratch = null;
        try
        {
            var writer = new ProtobufExpositionWriter(scratch);
            var stream = new ProtobufWriter(output);
            foreach (var family in families)
            {
                writer._created = family.EnableCreatedSamples;
                family.Read(ref writer);
                writer._metrics.Flush();
                var metrics = scratch.Metrics.WrittenSpan;
                // A family with no series, or only failed callbacks, is left out, as in the text formats.
                if (metrics.IsEmpty)
                {
                    continue;
                }

                var header = family.Encoding.ProtobufHeader;
                stream.WriteVarint((ulong)(header.Length + metrics.Length));
                stream.WriteRaw(header);
                stream.WriteRaw(metrics);
                scratch.Metrics.ResetWrittenCount();
            }

            stream.Flush();
        }
        finally
        {
            if (scratch.Reset(RetainedScratchLimit))
            {
                t_scratch = scratch;
            }
        }
    }

    public void Counter(MetricSeries series, long total) => WriteCounter(series, total, ownSeries: true);

    public void Counter(MetricSeries series, double total) => WriteCounter(series, total, ownSeries: true);

    public void ExternalCounter(MetricSeries series, double total) => WriteCounter(series, total, ownSeries: false);

    public void Gauge(MetricSeries series, double value)
    {
        BeginMetric(series, Fields.Metric.Gauge, DoubleFieldLength(Fields.Gauge.Value));
        _metrics.WriteDoubleField(Fields.Gauge.Value, value);
    }

    public void Histogram(Histogram series, ReadOnlySpan<long> cumulativeCounts, double sum)
    {
        _content.WriteUInt64Field(Fields.Histogram.SampleCount, (ulong)cumulativeCounts[^1]);
        _content.WriteDoubleField(Fields.Histogram.SampleSum, sum);
        WriteClassicBuckets(series.Family.Shape.Bounds!, cumulativeCounts, series.Exemplars);
        WriteCreated(Fields.Histogram.CreatedTimestamp, series.CreatedSeconds);
        EndHistogram(series);
    }

    public void NativeHistogram(NativeHistogram series, NativeHistogramSnapshot native, ReadOnlySpan<long> cumulativeCounts, double sum)
    {
        _content.WriteUInt64Field(Fields.Histogram.SampleCount, (ulong)native.Count);
        _content.WriteDoubleField(Fields.Histogram.SampleSum, native.Sum);
        if (series.Family.Shape.Bounds is { Length: > 0 } bounds)
        {
            WriteClassicBuckets(bounds, cumulativeCounts, series.ClassicExemplars);
        }

        _content.WriteSInt32Field(Fields.Histogram.Schema, native.Schema);
        _content.WriteDoubleField(Fields.Histogram.ZeroThreshold, native.ZeroThreshold);
        _content.WriteUInt64Field(Fields.Histogram.ZeroCount, (ulong)native.ZeroCount);
        WriteSpans(Fields.Histogram.NegativeSpan, native.NegativeSpans);
        _content.WritePackedSInt64Field(Fields.Histogram.NegativeDelta, native.NegativeDeltas);
        WriteSpans(Fields.Histogram.PositiveSpan, native.PositiveSpans);
        _content.WritePackedSInt64Field(Fields.Histogram.PositiveDelta, native.PositiveDeltas);
        WriteCreated(Fields.Histogram.CreatedTimestamp, series.NativeCreatedSeconds);
        foreach (var exemplar in native.Exemplars)
        {
            WriteExemplar(ref _content, Fields.Histogram.Exemplars, exemplar);
        }

        EndHistogram(series);
    }

    public void Summary(Summary series, ReadOnlySpan<double> quantileValues, long count, double sum)
    {
        var quantiles = series.Family.Shape.Summary!.Quantiles;
        var quantileLength = DoubleFieldLength(Fields.Quantile.Rank) + DoubleFieldLength(Fields.Quantile.Value);
        var created = ProtobufTimestamp.FromUnixSeconds(series.CreatedSeconds);
        var length = UInt64FieldLength(Fields.Summary.SampleCount, (ulong)count)
            + DoubleFieldLength(Fields.Summary.SampleSum)
            + (quantileValues.Length * LengthDelimitedFieldLength(Fields.Summary.Quantile, quantileLength))
            + (_created ? LengthDelimitedFieldLength(Fields.Summary.CreatedTimestamp, created.ContentLength) : 0);
        BeginMetric(series, Fields.Metric.Summary, length);
        _metrics.WriteUInt64Field(Fields.Summary.SampleCount, (ulong)count);
        _metrics.WriteDoubleField(Fields.Summary.SampleSum, sum);
        for (var i = 0; i < quantileValues.Length; i++)
        {
            _metrics.WriteMessageHeader(Fields.Summary.Quantile, quantileLength);
            _metrics.WriteDoubleField(Fields.Quantile.Rank, quantiles[i]);
            _metrics.WriteDoubleField(Fields.Quantile.Value, quantileValues[i]);
        }

        if (_created)
        {
            created.WriteAsField(ref _metrics, Fields.Summary.CreatedTimestamp);
        }
    }

    /// <summary>A counter's value, and for a counter the library keeps (not a callback's) its exemplar and creation time.</summary>
    private void WriteCounter(MetricSeries series, double total, bool ownSeries)
    {
        var exemplar = default(NativeHistogramExemplar);
        var hasExemplar = ownSeries && TryReadExemplar(series.Exemplars, 0, out exemplar);
        var hasCreated = ownSeries && _created;
        var created = ProtobufTimestamp.FromUnixSeconds(series.CreatedSeconds);
        var length = DoubleFieldLength(Fields.Counter.Value)
            + (hasExemplar ? LengthDelimitedFieldLength(Fields.Counter.Exemplar, ExemplarLength(exemplar)) : 0)
            + (hasCreated ? LengthDelimitedFieldLength(Fields.Counter.CreatedTimestamp, created.ContentLength) : 0);
        BeginMetric(series, Fields.Metric.Counter, length);
        _metrics.WriteDoubleField(Fields.Counter.Value, total);
        if (hasExemplar)
        {
            WriteExemplar(ref _metrics, Fields.Counter.Exemplar, exemplar);
        }

        if (hasCreated)
        {
            created.WriteAsField(ref _metrics, Fields.Counter.CreatedTimestamp);
        }
    }

    /// <summary>Writes a <c>Metric</c>'s header and labels, and the header of its value message of <paramref name="valueLength"/> bytes.</summary>
    private void BeginMetric(MetricSeries series, int valueField, int valueLength)
    {
        var labels = series.ProtobufLabels;
        _metrics.WriteMessageHeader(Fields.MetricFamily.Metric, labels.Length + LengthDelimitedFieldLength(valueField, valueLength));
        _metrics.WriteRaw(labels);
        _metrics.WriteMessageHeader(valueField, valueLength);
    }

    /// <summary>Moves the <c>Histogram</c> content written so far into the family's metrics, now that its size is known.</summary>
    private void EndHistogram(MetricSeries series)
    {
        _content.Flush();
        var content = _scratch.Content.WrittenSpan;
        BeginMetric(series, Fields.Metric.Histogram, content.Length);
        _metrics.WriteRaw(content);
        _scratch.Content.ResetWrittenCount();
    }

    /// <summary>The finite buckets, and the <c>+Inf</c> one only when it has an exemplar to carry.</summary>
    private void WriteClassicBuckets(double[] bounds, ReadOnlySpan<long> cumulativeCounts, ExemplarStore? exemplars)
    {
        for (var i = 0; i < cumulativeCounts.Length; i++)
        {
            var hasExemplar = TryReadExemplar(exemplars, i, out var exemplar);
            if (i == bounds.Length && !hasExemplar)
            {
                return;
            }

            var bound = i < bounds.Length ? bounds[i] : double.PositiveInfinity;
            var count = (ulong)cumulativeCounts[i];
            _content.WriteMessageHeader(
                Fields.Histogram.Bucket,
                UInt64FieldLength(Fields.Bucket.CumulativeCount, count)
                + DoubleFieldLength(Fields.Bucket.UpperBound)
                + (hasExemplar ? LengthDelimitedFieldLength(Fields.Bucket.Exemplar, ExemplarLength(exemplar)) : 0));
            _content.WriteUInt64Field(Fields.Bucket.CumulativeCount, count);
            _content.WriteDoubleField(Fields.Bucket.UpperBound, bound);
            if (hasExemplar)
            {
                WriteExemplar(ref _content, Fields.Bucket.Exemplar, exemplar);
            }
        }
    }

    private void WriteSpans(int field, ReadOnlySpan<NativeBucketSpan> spans)
    {
        foreach (var span in spans)
        {
            _content.WriteMessageHeader(
                field, SInt32FieldLength(Fields.BucketSpan.Offset, span.Offset) + UInt64FieldLength(Fields.BucketSpan.Length, span.Length));
            _content.WriteSInt32Field(Fields.BucketSpan.Offset, span.Offset);
            _content.WriteUInt64Field(Fields.BucketSpan.Length, span.Length);
        }
    }

    private void WriteCreated(int field, double createdSeconds)
    {
        if (_created)
        {
            ProtobufTimestamp.FromUnixSeconds(createdSeconds).WriteAsField(ref _content, field);
        }
    }

    private static bool TryReadExemplar(ExemplarStore? exemplars, int slot, out NativeHistogramExemplar exemplar)
    {
        if (exemplars is not null && exemplars.TryRead(slot, out var labels, out var value, out var timestamp))
        {
            exemplar = new NativeHistogramExemplar(labels, value, timestamp);
            return true;
        }

        exemplar = default;
        return false;
    }

    private static int ExemplarLength(in NativeHistogramExemplar exemplar)
    {
        var length = DoubleFieldLength(Fields.Exemplar.Value)
            + LengthDelimitedFieldLength(Fields.Exemplar.Timestamp, ProtobufTimestamp.FromUnixSeconds(exemplar.Timestamp).ContentLength);
        var labels = exemplar.Labels;
        for (var i = 0; i < labels.Count; i++)
        {
            var (name, value) = labels[i];
            length += LengthDelimitedFieldLength(Fields.Exemplar.Label, ProtobufMetadata.LabelPairLength(name, value));
        }

        return length;
    }

    private static void WriteExemplar(ref ProtobufWriter writer, int field, in NativeHistogramExemplar exemplar)
    {
        writer.WriteMessageHeader(field, ExemplarLength(exemplar));
        var labels = exemplar.Labels;
        for (var i = 0; i < labels.Count; i++)
        {
            var (name, value) = labels[i];
            writer.WriteMessageHeader(Fields.Exemplar.Label, ProtobufMetadata.LabelPairLength(name, value));
            writer.WriteStringField(Fields.LabelPair.Name, name);
            writer.WriteStringField(Fields.LabelPair.Value, value);
        }

        writer.WriteDoubleField(Fields.Exemplar.Value, exemplar.Value);
        ProtobufTimestamp.FromUnixSeconds(exemplar.Timestamp).WriteAsField(ref writer, Fields.Exemplar.Timestamp);
    }
}
