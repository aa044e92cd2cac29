using Metrics.Exposition;

namespace Metrics;

/// <summary>
/// One time series: a family's metric with one fixed set of label values. Call sites resolve a series once
/// and keep it, so that each measurement costs an atomic instruction and allocates nothing.
/// </summary>
public abstract class MetricSeries
{
    private readonly string[] _labelValues;
    private byte[]? _encodedLabels;

    private protected MetricSeries(MetricFamily family, string[] labelValues)
    {
        Family = family;
        _labelValues = labelValues;
    }

    /// <summary>The family this series belongs to.</summary>
    public MetricFamily Family { get; }

    /// <summary>The label values, in the order of the family's <see cref="MetricFamily.LabelNames"/>.</summary>
    public IReadOnlyList<string> LabelValues => _labelValues;

    internal string[] LabelValueArray => _labelValues;

    // Encoded once, on first scrape, so later scrapes copy bytes instead of escaping and transcoding strings.
    // A race only builds the same bytes twice.
    internal byte[] EncodedLabels => _encodedLabels ??= LabelEncoding.EncodeLabelPairs(Family.LabelNameArray, _labelValues);
}
