namespace Metrics;

/// <summary>An immutable copy of one series.</summary>
public sealed class SeriesSnapshot
{
    private SeriesSnapshot(IReadOnlyList<string> labelValues, double value, HistogramSnapshot? histogram = null, SummarySnapshot? summary = null)
    {
        LabelValues = labelValues;
        Value = value;
        Histogram = histogram;
        Summary = summary;
    }

    /// <summary>The label values, in label-name order.</summary>
    public IReadOnlyList<string> LabelValues { get; }

    /// <summary>The counter total or gauge value; for a histogram or summary, its count.</summary>
    public double Value { get; }

    /// <summary>The buckets, count and sum of a histogram series; null for other types.</summary>
    public HistogramSnapshot? Histogram { get; }

    /// <summary>The quantile estimates, count and sum of a summary series; null for other types.</summary>
    public SummarySnapshot? Summary { get; }

    internal static SeriesSnapshot? Create(MetricSeries series) => series switch
    {
        Counter counter => new SeriesSnapshot(series.LabelValues, counter.Value, null),
        DoubleCounter counter => new SeriesSnapshot(series.LabelValues, counter.Value, null),
        Gauge gauge => new SeriesSnapshot(series.LabelValues, gauge.Value, null),
        ICallbackSeries callback when callback.Source.TryRead(out var value) => new SeriesSnapshot(series.LabelValues, value, null),
        Metrics.Histogram histogram => FromHistogram(histogram),
        Metrics.Summary summary => FromSummary(summary),
        _ => null,
    };

    private static SeriesSnapshot FromHistogram(Histogram histogram)
    {
        var snapshot = HistogramSnapshot.Create(histogram);
        return new SeriesSnapshot(histogram.LabelValues, snapshot.Count, snapshot);
    }

    private static SeriesSnapshot FromSummary(Summary summary)
    {
        var snapshot = SummarySnapshot.Create(summary);
        return new SeriesSnapshot(summary.LabelValues, snapshot.Count, summary: snapshot);
    }
}
