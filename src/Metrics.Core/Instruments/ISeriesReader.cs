namespace Metrics;

/// <summary>
/// Receives the values of series, one call per series, in the shape each kind has. Every way of reading a registry
/// (the text and OpenMetrics writer, snapshots, the history sampler) is a struct implementing it, and each series
/// hands itself over through <see cref="MetricSeries.Read{TReader}"/>, so no reader asks what kind a series is. The
/// series' method is compiled once per reader struct, which it calls directly: no boxing and no allocation.
/// </summary>
/// <remarks>
/// A series with nothing to report (a callback series whose latest collection failed) calls no method. Spans are
/// valid only during the call.
/// </remarks>
internal interface ISeriesReader
{
    /// <summary>An integer counter's total, counted from the series' creation.</summary>
    void Counter(MetricSeries series, long total);

    /// <summary>A floating-point counter's total, counted from the series' creation.</summary>
    void Counter(MetricSeries series, double total);

    /// <summary>
    /// A total kept outside the library and read by a callback: a counter, but one that did not start at zero when
    /// the series was created, and that has no exemplars or creation time of its own.
    /// </summary>
    void ExternalCounter(MetricSeries series, double total);

    /// <summary>A gauge's value, set or computed.</summary>
    void Gauge(MetricSeries series, double value);

    /// <summary>A histogram's cumulative bucket counts (<c>+Inf</c> last, so the last is the count) and its sum.</summary>
    void Histogram(Histogram series, ReadOnlySpan<long> cumulativeCounts, double sum);

    /// <summary>
    /// A native histogram: its <paramref name="native"/> snapshot, valid only during the call, and the classic view
    /// the text formats show: the cumulative counts of its classic buckets (<c>+Inf</c> last) and their sum, or, for a
    /// native-only histogram, the <c>+Inf</c> count alone and the native sum.
    /// </summary>
    void NativeHistogram(NativeHistogram series, NativeHistogramSnapshot native, ReadOnlySpan<long> cumulativeCounts, double sum);

    /// <summary>A summary's quantile estimates (NaN while its window is empty), its count and its sum.</summary>
    void Summary(Summary series, ReadOnlySpan<double> quantileValues, long count, double sum);
}
