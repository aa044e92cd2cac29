namespace Metrics;

/// <summary>
/// One series, or one sum of series, at each point of a <see cref="HistoryReading"/>. Which lists are set depends on
/// the family's type; each set list has one entry per point, NaN where the value is unknown.
/// </summary>
public sealed class SeriesHistory
{
    internal SeriesHistory(string[] labelValues)
    {
        LabelValues = labelValues;
    }

    /// <summary>The label values, in the order of <see cref="FamilyHistory.LabelNames"/>.</summary>
    public IReadOnlyList<string> LabelValues { get; }

    /// <summary>
    /// Counters, histograms and summaries: the increase per second between the previous point and this one (for
    /// histograms and summaries, observations per second). A drop of the cumulative value is a restart, as PromQL's
    /// <c>rate</c> takes it: the increase is then the new value. A series created after the previous point counts from
    /// zero; callback counters, whose totals predate them, have no rate at their first point. Null for gauges.
    /// </summary>
    public IReadOnlyList<double>? Rates { get; internal init; }

    /// <summary>Counters, histograms and summaries: the sum of the known increases over the reading's points; NaN for gauges.</summary>
    public double Increase { get; internal init; } = double.NaN;

    /// <summary>Gauges: the value at each point (the sum of the values, for summed series); null for other types.</summary>
    public IReadOnlyList<double>? Values { get; internal init; }

    /// <summary>
    /// Histograms: for each of <see cref="MetricHistory.Quantiles"/>, in that order, that quantile of the observations
    /// made between the previous point and this one at each point, estimated from the bucket increases exactly as
    /// <see cref="HistogramSnapshot.Quantile"/> does: from the classic buckets, or for a native histogram without
    /// classic buckets from the native ones, as <c>histogram_quantile</c> does for native histograms. A native
    /// increase takes the later point's schema and zero bucket, the earlier point's buckets mapped into them when the
    /// bucket limit reduced the histogram in between; a reset (a new created time, or any count lower) makes the later
    /// point's counts the increase, as PromQL's <c>rate</c> does; summed series add as PromQL's <c>sum</c> adds
    /// native histograms (coarsest schema, widest zero bucket). NaN without observations. Null for other types.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<double>>? Quantiles { get; internal init; }

    /// <summary>
    /// Histograms and summaries: the mean of the observations between the previous point and this one (the increase of
    /// the sum over the increase of the count); NaN without observations. Null for counters and gauges.
    /// </summary>
    public IReadOnlyList<double>? Averages { get; internal init; }
}
