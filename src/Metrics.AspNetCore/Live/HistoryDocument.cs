namespace Metrics.AspNetCore;

// The JSON shape of the history endpoint and of every message of the live stream, one type per level of the document.
// Property order is the order in the JSON; names are camelCased by MetricsJsonContext, and null properties are left out.
// Unknown values (NaN in MetricHistory: before a second point, while a series is absent, a window without
// observations) are written as JSON nulls, like every non-finite number, so charts draw gaps.

/// <summary>Consecutive points of the sampler for the requested families.</summary>
internal sealed class HistoryDocument
{
    /// <summary><c>history</c> for a whole window (the GET, and the first message of a stream); <c>update</c> for the points since the previous message.</summary>
    public required string Type { get; init; }

    /// <summary>The sampler's sequence number of the first point; points are numbered from 0 for the sampler's life.</summary>
    public required long FirstSequence { get; init; }

    /// <summary>The sequence number of the last point; <see cref="FirstSequence"/> − 1 when the document holds none.</summary>
    public required long LastSequence { get; init; }

    /// <summary>The sampler's interval, in seconds.</summary>
    public required double IntervalSeconds { get; init; }

    /// <summary>When each point was sampled, in UTC, oldest first; every per-point list has this length.</summary>
    public required IReadOnlyList<DateTimeOffset> Timestamps { get; init; }

    /// <summary>One entry per distinct <c>family</c> selector, in the order of their first appearance.</summary>
    public required IReadOnlyList<HistoryFamily> Families { get; init; }
}

/// <summary>One family, or one sum of a family's series.</summary>
internal sealed class HistoryFamily
{
    /// <summary>The <c>family</c> selector this answers, written canonically, such as <c>http_requests_total[status]</c>.</summary>
    public required string Selector { get; init; }

    public required string Name { get; init; }

    /// <summary><c>counter</c>, <c>gauge</c>, <c>histogram</c> or <c>summary</c>: which per-point lists the series carry.</summary>
    public required string Type { get; init; }

    /// <summary>The names of the series' labels: the family's, or the labels summed by.</summary>
    public required IReadOnlyList<string> LabelNames { get; init; }

    public required IReadOnlyList<HistorySeries> Series { get; init; }
}

/// <summary>One series, or one sum of series, at each point.</summary>
internal sealed class HistorySeries
{
    public required IReadOnlyDictionary<string, string> Labels { get; init; }

    /// <summary>Counters, histograms and summaries: increase per second since the previous point.</summary>
    public IReadOnlyList<double>? Rate { get; init; }

    /// <summary>Counters, histograms and summaries: the known increase over the document's points.</summary>
    public double? Increase { get; init; }

    /// <summary>Gauges: the value at each point.</summary>
    public IReadOnlyList<double>? Value { get; init; }

    /// <summary>Histograms: each configured quantile of the observations since the previous point, in increasing order.</summary>
    public IReadOnlyList<HistoryQuantile>? Quantiles { get; init; }

    /// <summary>Histograms and summaries: the mean of the observations since the previous point.</summary>
    public IReadOnlyList<double>? Average { get; init; }
}

/// <summary>One quantile of a histogram's series at each point.</summary>
internal sealed class HistoryQuantile
{
    /// <summary>The quantile, such as 0.95.</summary>
    public required double Quantile { get; init; }

    /// <summary>Its estimate at each point; unknown (null) where the interval saw no observation.</summary>
    public required IReadOnlyList<double> Values { get; init; }
}
