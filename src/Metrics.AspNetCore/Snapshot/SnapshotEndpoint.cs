using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Metrics.AspNetCore;

/// <summary>
/// Serves a snapshot of the registry as JSON. <c>?family=name</c> (repeatable) keeps only the named families, by
/// their exposed name; <c>?prefix=p</c> keeps only families whose name starts with <c>p</c>; together, a family must
/// pass both.
/// </summary>
/// <remarks>A query string longer than the configured limit gets 414; repeating a name selects its family once.</remarks>
internal sealed class UsageEndpoint(MetricRegistry registry, int queryLengthLimit)
{
    public Task HandleAsync(HttpContext context)
    {
        if (QueryLength.RejectIfLonger(context, queryLengthLimit) is { } rejected)
        {
            return rejected;
        }

        var query = context.Request.Query;
        var document = new UsageDocument
        {
            Timestamp = DateTimeOffset.UtcNow,
            Families = Select(registry.Collect(), query["family"], query["prefix"].ToString()),
        };
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsJsonAsync(document, UsageJsonContext.Default.UsageDocument, EndpointErrors.JsonContentType, context.RequestAborted);
    }

    private static List<UsageFamily> Select(MetricsSnapshot snapshot, StringValues names, string prefix)
    {
        HashSet<string>? named = names.Count == 0 ? null : new(names!, StringComparer.Ordinal);
        var families = new List<UsageFamily>(snapshot.Families.Count);
        foreach (var family in snapshot.Families)
        {
            if (family.Name.StartsWith(prefix, StringComparison.Ordinal) && (named is null || named.Contains(family.Name)))
            {
                families.Add(ToJson(family));
            }
        }

        return families;
    }

    private static UsageFamily ToJson(FamilySnapshot family)
    {
        var series = new UsageSeries[family.Series.Count];
        for (var i = 0; i < series.Length; i++)
        {
            series[i] = ToJson(family.LabelNames, family.Series[i]);
        }

        return new UsageFamily
        {
            Name = family.Name,
            Type = MetricTypeNames.Of(family.Type),
            Help = family.Help,
            LabelNames = family.LabelNames,
            Series = series,
            Aggregate = Aggregate(family),
        };
    }

    private static UsageSeries? Aggregate(FamilySnapshot family)
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

    private static UsageSeries ToJson(IReadOnlyList<string> labelNames, SeriesSnapshot series)
    {
        var labels = new Dictionary<string, string>(labelNames.Count, StringComparer.Ordinal);
        for (var i = 0; i < labelNames.Count; i++)
        {
            labels[labelNames[i]] = series.LabelValues[i];
        }

        if (series.Summary is { } summary)
        {
            var quantiles = new UsageQuantile[summary.Quantiles.Count];
            for (var i = 0; i < quantiles.Length; i++)
            {
                quantiles[i] = new UsageQuantile { Quantile = summary.Quantiles[i], Value = summary.Values[i] };
            }

            return new UsageSeries { Labels = labels, Count = summary.Count, Sum = summary.Sum, Quantiles = quantiles };
        }

        return series.Histogram is { } histogram
            ? ToJson(labels, histogram)
            : new UsageSeries { Labels = labels, Value = series.Value };
    }

    private static UsageSeries ToJson(Dictionary<string, string> labels, HistogramSnapshot histogram)
    {
        var buckets = new UsageBucket[histogram.UpperBounds.Count - 1];
        for (var i = 0; i < buckets.Length; i++)
        {
            buckets[i] = new UsageBucket { Le = histogram.UpperBounds[i], Count = histogram.CumulativeCounts[i] };
        }

        var observed = histogram.Count > 0;
        return new UsageSeries
        {
            Labels = labels,
            Count = histogram.Count,
            Sum = histogram.Sum,
            Buckets = buckets,
            P50 = observed ? histogram.Quantile(0.5) : null,
            P90 = observed ? histogram.Quantile(0.9) : null,
            P99 = observed ? histogram.Quantile(0.99) : null,
        };
    }
}
