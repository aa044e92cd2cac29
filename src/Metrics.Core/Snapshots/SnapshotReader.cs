namespace Metrics;

/// <summary>
/// Copies each series it reads into a <see cref="SeriesSnapshot"/> of the family whose exposed label names (its own,
/// then the registry's constant ones) it holds.
/// </summary>
internal readonly struct SnapshotReader(IReadOnlyList<string> labelNames, List<SeriesSnapshot> snapshots) : ISeriesReader
{
    public void Counter(MetricSeries series, long total) => Add(series, total);

    public void Counter(MetricSeries series, double total) => Add(series, total);

    public void ExternalCounter(MetricSeries series, double total) => Add(series, total);

    public void Gauge(MetricSeries series, double value) => Add(series, value);

    public void Histogram(Histogram series, ReadOnlySpan<long> cumulativeCounts, double sum)
    {
        var histogram = new HistogramSnapshot([.. series.UpperBounds, double.PositiveInfinity], cumulativeCounts.ToArray(), sum);
        snapshots.Add(new SeriesSnapshot(labelNames, series.ExposedLabelValues, histogram.Count, histogram: histogram));
    }

    public void NativeHistogram(NativeHistogram series, NativeHistogramSnapshot native, ReadOnlySpan<long> cumulativeCounts, double sum)
    {
        var histogram = new HistogramSnapshot(
            [.. series.ClassicUpperBounds, double.PositiveInfinity], cumulativeCounts.ToArray(), sum, series.Family.Shape.HasNativeQuantiles ? native.Copy() : null);
        snapshots.Add(new SeriesSnapshot(labelNames, series.ExposedLabelValues, histogram.Count, histogram: histogram));
    }

    public void Summary(Summary series, ReadOnlySpan<double> quantileValues, long count, double sum)
    {
        var summary = new SummarySnapshot([.. series.Quantiles], quantileValues.ToArray(), count, sum);
        snapshots.Add(new SeriesSnapshot(labelNames, series.ExposedLabelValues, count, summary: summary));
    }

    private void Add(MetricSeries series, double value) => snapshots.Add(new SeriesSnapshot(labelNames, series.ExposedLabelValues, value));
}
