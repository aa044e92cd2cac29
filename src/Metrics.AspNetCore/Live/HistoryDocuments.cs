namespace Metrics.AspNetCore;

/// <summary>Builds the JSON documents of the history endpoint and the live stream from a <see cref="HistoryReading"/>.</summary>
internal static class HistoryDocuments
{
    public const string HistoryType = "history";
    public const string UpdateType = "update";

    /// <summary>Reads the query's window (or every point held) and answers it; throws <see cref="ArgumentException"/> for an unknown family or label.</summary>
    public static HistoryReading ReadWindow(MetricHistory history, HistoryQuery query) =>
        query.Window is { } window ? history.Read(query.Selectors, window) : history.ReadSince(query.Selectors, -1);

    public static HistoryDocument Create(HistoryReading reading, IReadOnlyList<double> quantiles, string[] selectorTexts, string type)
    {
        var families = new HistoryFamily[reading.Families.Count];
        for (var i = 0; i < families.Length; i++)
        {
            families[i] = ToJson(reading.Families[i], quantiles, selectorTexts[i]);
        }

        return new HistoryDocument
        {
            Type = type,
            FirstSequence = reading.FirstSequence,
            LastSequence = reading.LastSequence,
            IntervalSeconds = reading.Interval.TotalSeconds,
            Timestamps = reading.Timestamps,
            Families = families,
        };
    }

    private static HistoryFamily ToJson(FamilyHistory family, IReadOnlyList<double> quantiles, string selector)
    {
        var series = new HistorySeries[family.Series.Count];
        for (var i = 0; i < series.Length; i++)
        {
            series[i] = ToJson(family.LabelNames, quantiles, family.Series[i]);
        }

        return new HistoryFamily
        {
            Selector = selector,
            Name = family.Name,
            Type = MetricTypeNames.Of(family.Type),
            LabelNames = family.LabelNames,
            Series = series,
        };
    }

    private static HistorySeries ToJson(IReadOnlyList<string> labelNames, IReadOnlyList<double> quantiles, SeriesHistory series)
    {
        var labels = new Dictionary<string, string>(labelNames.Count, StringComparer.Ordinal);
        for (var i = 0; i < labelNames.Count; i++)
        {
            labels[labelNames[i]] = series.LabelValues[i];
        }

        return new HistorySeries
        {
            Labels = labels,
            Rate = series.Rates,
            Increase = double.IsNaN(series.Increase) ? null : series.Increase,
            Value = series.Values,
            Quantiles = Quantiles(quantiles, series.Quantiles),
            Average = series.Averages,
        };
    }

    private static HistoryQuantile[]? Quantiles(IReadOnlyList<double> quantiles, IReadOnlyList<IReadOnlyList<double>>? estimates)
    {
        if (estimates is null)
        {
            return null;
        }

        var result = new HistoryQuantile[estimates.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = new HistoryQuantile { Quantile = quantiles[i], Values = estimates[i] };
        }

        return result;
    }
}
