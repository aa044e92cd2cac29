using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Metrics.Exposition;

/// <summary>
/// Writes families in Prometheus text 0.0.4 or OpenMetrics 1.0.0. The formats share their sample lines and
/// differ in metadata, in the canonical form of <c>le</c>, in the order of <c>_count</c> and <c>_sum</c>, in the
/// OpenMetrics-only exemplars and <c>_created</c> samples, and in the closing <c># EOF</c>.
/// </summary>
internal struct ExpositionWriter : ISeriesReader
{
    // The longest decimal long: "-9223372036854775808".
    private const int MaxIntegerLength = 20;

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
        var exemplars = _openMetrics ? series.Exemplars : null;
        WriteSample(Header().SampleName, series.EncodedLabels, [], total, endLine: exemplars is null);
        WriteCounterEnd(series, exemplars);
    }

    public void Counter(MetricSeries series, double total)
    {
        var exemplars = _openMetrics ? series.Exemplars : null;
        WriteSample(Header().SampleName, series.EncodedLabels, [], total, endLine: exemplars is null);
        WriteCounterEnd(series, exemplars);
    }

    public void ExternalCounter(MetricSeries series, double total) =>
        WriteSample(Header().SampleName, series.EncodedLabels, [], total, endLine: true);

    public void Gauge(MetricSeries series, double value) =>
        WriteSample(Header().SampleName, series.EncodedLabels, [], value, endLine: true);

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

    // Not inlined into the series' Read, which reads the stripes: the line loop compiles alone, with its writes inlined.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void WriteHistogram(MetricSeries series, ExemplarStore? exemplars, ReadOnlySpan<long> cumulativeCounts, double sum, double createdSeconds)
    {
        var encoding = Header();
        var labels = series.EncodedLabels;
        var bucketLabels = _openMetrics ? encoding.OpenMetricsBucketLabels : encoding.TextBucketLabels;
        for (var i = 0; i < cumulativeCounts.Length; i++)
        {
            WriteSample(encoding.BucketName, labels, bucketLabels[i], cumulativeCounts[i], endLine: exemplars is null);
            if (exemplars is not null)
            {
                WriteExemplar(exemplars, i);
                _sink.WriteByte((byte)'\n');
            }
        }

        if (_openMetrics)
        {
            // OpenMetrics makes _sum a counter, never negative or NaN: it forbids _sum when buckets can hold
            // negative observations, and while negative observations (or both infinities) have made it so anyway;
            // it allows _count only beside _sum. The +Inf bucket still carries the count.
            if (!encoding.HasNegativeBuckets && IsCounterLike(sum))
            {
                WriteSample(encoding.CountName, labels, [], cumulativeCounts[^1], endLine: true);
                WriteSample(encoding.SumName, labels, [], sum, endLine: true);
            }

            WriteCreated(series, createdSeconds);
        }
        else
        {
            WriteSample(encoding.SumName, labels, [], sum, endLine: true);
            WriteSample(encoding.CountName, labels, [], cumulativeCounts[^1], endLine: true);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
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

            WriteSample(encoding.SampleName, labels, quantileLabels[i], quantileValues[i], endLine: true);
        }

        if (_openMetrics)
        {
            // As for histograms, OpenMetrics' _sum is a counter; unlike them, a summary's _count may stand alone.
            WriteSample(encoding.CountName, labels, [], count, endLine: true);
            if (IsCounterLike(sum))
            {
                WriteSample(encoding.SumName, labels, [], sum, endLine: true);
            }

            WriteCreated(series);
        }
        else
        {
            WriteSample(encoding.SumName, labels, [], sum, endLine: true);
            WriteSample(encoding.CountName, labels, [], count, endLine: true);
        }
    }

    // Neither negative nor NaN (-0 counts as zero).
    private static bool IsCounterLike(double sum) => sum >= 0;

    /// <summary>The current family's cached bytes, after writing its metadata if this is its first sample.</summary>
    private FamilyEncoding Header() => _family is null ? _encoding : StartFamily(_family);

    // Once per family: kept out of line so that the per-series methods it would be inlined into stay small.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private FamilyEncoding StartFamily(MetricFamily family)
    {
        _family = null;
        _encoding = family.Encoding;
        _created = _openMetrics && family.EnableCreatedSamples;
        _sink.Write(_openMetrics ? _encoding.OpenMetricsHeader : _encoding.TextHeader);
        return _encoding;
    }

    private void WriteCounterEnd(MetricSeries counter, ExemplarStore? exemplars)
    {
        if (exemplars is not null)
        {
            WriteExemplar(exemplars, 0);
            _sink.WriteByte((byte)'\n');
        }

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

        var labels = series.EncodedLabels;
        var line = _sink.GetSpan(SampleStartLength(_encoding.CreatedName, labels, []) + FloatFormatter.MaxLength + 1);
        var length = WriteSampleStart(line, _encoding.CreatedName, labels, []);
        length += FloatFormatter.FormatCanonical(createdSeconds, line[length..]);
        line[length++] = (byte)'\n';
        _sink.Advance(length);
    }

    // A sample line is written into one reservation: its tokens are copied into a local span without a check for
    // room before each, which is most of the work of a scrape.
    private void WriteSample(byte[] name, byte[] labels, ReadOnlySpan<byte> extraLabel, long value, bool endLine)
    {
        var line = _sink.GetSpan(SampleStartLength(name, labels, extraLabel) + MaxIntegerLength + 1);
        var length = WriteSampleStart(line, name, labels, extraLabel);
        value.TryFormat(line[length..], out var written, default, CultureInfo.InvariantCulture);
        length += written;
        if (endLine)
        {
            line[length++] = (byte)'\n';
        }

        _sink.Advance(length);
    }

    private void WriteSample(byte[] name, byte[] labels, ReadOnlySpan<byte> extraLabel, double value, bool endLine)
    {
        var line = _sink.GetSpan(SampleStartLength(name, labels, extraLabel) + FloatFormatter.MaxLength + 1);
        var length = WriteSampleStart(line, name, labels, extraLabel);
        length += FloatFormatter.Format(value, line[length..]);
        if (endLine)
        {
            line[length++] = (byte)'\n';
        }

        _sink.Advance(length);
    }

    // The longest that WriteSampleStart writes: the name, the braces, the comma and the space.
    private static int SampleStartLength(byte[] name, byte[] labels, ReadOnlySpan<byte> extraLabel) =>
        name.Length + labels.Length + extraLabel.Length + 4;

    /// <summary>
    /// Writes <c>name{labels} </c>, or <c>name{labels,extra} </c> when there is an extra label (the <c>le</c> of
    /// buckets, the <c>quantile</c> of summaries); a sample with no label has no braces.
    /// </summary>
    private static int WriteSampleStart(Span<byte> line, byte[] name, byte[] labels, ReadOnlySpan<byte> extraLabel)
    {
        name.CopyTo(line);
        var length = name.Length;
        if (labels.Length + extraLabel.Length > 0)
        {
            line[length++] = (byte)'{';
            labels.CopyTo(line[length..]);
            length += labels.Length;
            if (labels.Length > 0 && extraLabel.Length > 0)
            {
                line[length++] = (byte)',';
            }

            extraLabel.CopyTo(line[length..]);
            length += extraLabel.Length;
            line[length++] = (byte)'}';
        }

        line[length++] = (byte)' ';
        return length;
    }
}
