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
    private ExemplarStore? _exemplars;

    private protected MetricSeries(MetricFamily family, string[] labelValues)
    {
        Family = family;
        _labelValues = labelValues;
        CreatedSeconds = UnixTime.Seconds(family.Registry.TimeProvider);
    }

    /// <summary>The family this series belongs to.</summary>
    public MetricFamily Family { get; }

    /// <summary>The label values, in the order of the family's <see cref="MetricFamily.LabelNames"/>.</summary>
    public IReadOnlyList<string> LabelValues => _labelValues;

    internal string[] LabelValueArray => _labelValues;

    /// <summary>The exemplars recorded so far; null until the first, or until exemplars are enabled.</summary>
    internal ExemplarStore? Exemplars => Volatile.Read(ref _exemplars);

    /// <summary>When the series was created, in Unix seconds: the value of its OpenMetrics <c>_created</c> sample.</summary>
    internal double CreatedSeconds { get; }

    // Encoded once, on first scrape, so later scrapes copy bytes instead of escaping and transcoding strings.
    // A race only builds the same bytes twice.
    internal byte[] EncodedLabels => _encodedLabels ??= LabelEncoding.EncodeLabelPairs(Family.LabelNameArray, _labelValues);

    /// <summary>The exemplar slots, created on first use: a family without exemplars pays nothing for them.</summary>
    private protected ExemplarStore ExemplarSlots(int slotCount)
    {
        var existing = Volatile.Read(ref _exemplars);
        if (existing is not null)
        {
            return existing;
        }

        var created = new ExemplarStore(slotCount, Family.Registry.TimeProvider);
        return Interlocked.CompareExchange(ref _exemplars, created, null) ?? created;
    }
}
