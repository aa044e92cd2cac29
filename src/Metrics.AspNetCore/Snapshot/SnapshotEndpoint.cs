using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Metrics.AspNetCore;

/// <summary>
/// Serves a snapshot of the registry as JSON. <c>?family=name</c> (repeatable) keeps only the named families, by
/// their exposed name; <c>?prefix=p</c> keeps only families whose name starts with <c>p</c>; together, a family must
/// pass both.
/// </summary>
/// <remarks>A query string longer than the configured limit gets 414; repeating a name selects its family once.</remarks>
internal sealed class SnapshotEndpoint(MetricRegistry registry, IReadOnlyList<double> quantiles, int queryLengthLimit)
{
    public Task HandleAsync(HttpContext context)
    {
        if (QueryLength.RejectIfLonger(context, queryLengthLimit) is { } rejected)
        {
            return rejected;
        }

        var query = context.Request.Query;
        var document = new SnapshotDocument
        {
            Timestamp = DateTimeOffset.UtcNow,
            Families = Select(registry.Collect(), query["family"], query["prefix"].ToString()),
        };
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsJsonAsync(document, MetricsJsonContext.Default.SnapshotDocument, EndpointErrors.JsonContentType, context.RequestAborted);
    }

    private List<SnapshotFamily> Select(MetricsSnapshot snapshot, StringValues names, string prefix)
    {
        HashSet<string>? named = names.Count == 0 ? null : new(names!, StringComparer.Ordinal);
        var families = new List<SnapshotFamily>(snapshot.Families.Count);
        foreach (var family in snapshot.Families)
        {
            if (family.Name.StartsWith(prefix, StringComparison.Ordinal) && (named is null || named.Contains(family.Name)))
            {
                families.Add(ToJson(family));
            }
        }

        return families;
    }

    private SnapshotFamily ToJson(FamilySnapshot family)
    {
        var series = new SnapshotSeries[family.Series.Count];
        for (var i = 0; i < series.Length; i++)
        {
            series[i] = ToJson(family.LabelNames, family.Series[i]);
        }

        return new SnapshotFamily
        {
            Name = family.Name,
            Type = MetricTypeNames.Of(family.Type),
            Help = family.Help,
            LabelNames = family.LabelNames,
            Series = series,
            Aggregate = Aggregate(family),
        };
    }

    private SnapshotSeries? Aggregate(FamilySnapshot family)
    {
        if (family.Type != MetricType.Histogram || family.Series.Count == 0)
        {
            return null;
        }

        var histograms = new HistogramSnapshot[family.Series.Count];
        for (var i = 0; i < histograms.Length; i++)
        {
            histograms[i] = family.Series[i].Histogram!;
        }

        return ToJson(new Dictionary<string, string>(0, StringComparer.Ordinal), HistogramSnapshot.Add(histograms));
    }

    private SnapshotSeries ToJson(IReadOnlyList<string> labelNames, SeriesSnapshot series)
    {
        var labels = new Dictionary<string, string>(labelNames.Count, StringComparer.Ordinal);
        for (var i = 0; i < labelNames.Count; i++)
        {
            labels[labelNames[i]] = series.LabelValues[i];
        }

        if (series.Summary is { } summary)
        {
            var quantiles = new SnapshotQuantile[summary.Quantiles.Count];
            for (var i = 0; i < quantiles.Length; i++)
            {
                quantiles[i] = new SnapshotQuantile { Quantile = summary.Quantiles[i], Value = summary.Values[i] };
            }

            return new SnapshotSeries { Labels = labels, Count = summary.Count, Sum = summary.Sum, Quantiles = quantiles };
        }

        return series.Histogram is { } histogram
            ? ToJson(labels, histogram)
            : new SnapshotSeries { Labels = labels, Value = series.Value };
    }

    private SnapshotSeries ToJson(Dictionary<string, string> labels, HistogramSnapshot histogram)
    {
        var buckets = new SnapshotBucket[histogram.UpperBounds.Count - 1];
        for (var i = 0; i < buckets.Length; i++)
        {
            buckets[i] = new SnapshotBucket { Le = histogram.UpperBounds[i], Count = histogram.CumulativeCounts[i] };
        }

        var estimates = new SnapshotQuantile[quantiles.Count];
        for (var i = 0; i < estimates.Length; i++)
        {
            estimates[i] = new SnapshotQuantile { Quantile = quantiles[i], Value = histogram.Count > 0 ? histogram.Quantile(quantiles[i]) : double.NaN };
        }

        return new SnapshotSeries { Labels = labels, Count = histogram.Count, Sum = histogram.Sum, Buckets = buckets, Quantiles = estimates };
    }
}
