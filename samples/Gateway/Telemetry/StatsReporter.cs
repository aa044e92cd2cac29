using Gateway.Accounts;
using Gateway.Routing;
using Metrics;

namespace Gateway.Telemetry;

/// <summary>
/// Builds <c>/v1/stats</c> and <c>/v1/accounts</c> from a registry snapshot. Unlike gateways that keep separate
/// counters for their JSON, these numbers are the very series <c>/metrics</c> exposes, so the two always agree.
/// </summary>
internal sealed class StatsReporter(
    MetricRegistry registry,
    ProviderDirectory providers,
    ModelCatalog models,
    AccountDirectory accounts,
    TimeProvider time)
{
    private readonly DateTimeOffset _startedAt = time.GetUtcNow();

    /// <summary>The request, backend and model statistics now.</summary>
    public StatsReport Stats()
    {
        var snapshot = registry.Collect();
        var requests = SeriesOf(snapshot, "llm_requests_total");
        var errors = SeriesOf(snapshot, "llm_errors_total");
        var retries = SeriesOf(snapshot, "llm_retries_total");
        var circuits = SeriesOf(snapshot, "llm_circuit_state");
        var tokens = SeriesOf(snapshot, "llm_tokens_total");
        var durations = SeriesOf(snapshot, "llm_request_duration_seconds");

        long total = 0;
        long failed = 0;
        foreach (var series in requests)
        {
            var count = (long)series.Value;
            total += count;
            failed += int.TryParse(series["status"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var status) && status >= 400 ? count : 0;
        }

        var backends = providers.All.Select(provider =>
        {
            var latency = Aggregate(durations, "provider", provider.Name);
            return new BackendStats(
                provider.Name,
                provider.Style.ToString().ToLowerInvariant(),
                Sum(requests, "provider", provider.Name),
                Sum(errors, "provider", provider.Name),
                Sum(retries, "provider", provider.Name),
                provider.IsHealthy,
                CircuitStateName(circuits.FirstOrDefault(series => series["provider"] == provider.Name)?.Value ?? 0),
                Milliseconds(Mean(latency)),
                Milliseconds(Quantile(latency, 0.5)),
                Milliseconds(Quantile(latency, 0.95)));
        }).ToArray();

        var modelStats = models.All.Select(route =>
        {
            var duration = Aggregate(durations, "model", route.Name);
            return new ModelStats(
                route.Name,
                [.. route.Providers.Select(provider => provider.Name)],
                Sum(requests, "model", route.Name),
                Sum(tokens, "model", route.Name, "type", "prompt"),
                Sum(tokens, "model", route.Name, "type", "completion"),
                Milliseconds(Mean(duration)),
                Milliseconds(Quantile(duration, 0.5)),
                Milliseconds(Quantile(duration, 0.95)));
        }).ToArray();

        var uptime = (long)(time.GetUtcNow() - _startedAt).TotalSeconds;
        return new StatsReport(
            uptime,
            new RequestStats(total, total - failed, failed, total == 0 ? 0 : (double)failed / total),
            backends,
            modelStats);
    }

    /// <summary>Per-account request and token totals now.</summary>
    public AccountsReport Accounts()
    {
        var snapshot = registry.Collect();
        var requests = SeriesOf(snapshot, "llm_account_requests_total");
        var rateLimited = SeriesOf(snapshot, "llm_rate_limited_total");
        var tokens = SeriesOf(snapshot, "llm_account_tokens_total");
        return new AccountsReport([.. accounts.All.Select(account => new AccountStats(
            account.Name,
            Sum(requests, "account", account.Name),
            Sum(rateLimited, "account", account.Name),
            Sum(tokens, "account", account.Name, "type", "prompt"),
            Sum(tokens, "account", account.Name, "type", "completion")))]);
    }

    private static IReadOnlyList<SeriesSnapshot> SeriesOf(MetricsSnapshot snapshot, string family) =>
        snapshot.Find(family)?.Series ?? [];

    private static long Sum(IReadOnlyList<SeriesSnapshot> series, string label, string value, string? otherLabel = null, string? otherValue = null)
    {
        long sum = 0;
        foreach (var item in series)
        {
            if (item[label] == value && (otherLabel is null || item[otherLabel] == otherValue))
            {
                sum += (long)item.Value;
            }
        }

        return sum;
    }

    /// <summary>The sum of the histogram series whose label <paramref name="label"/> is <paramref name="value"/>, or null when none has any.</summary>
    private static HistogramSnapshot? Aggregate(IReadOnlyList<SeriesSnapshot> series, string label, string value)
    {
        var matching = new List<HistogramSnapshot>();
        foreach (var item in series)
        {
            if (item[label] == value && item.Histogram is { } histogram)
            {
                matching.Add(histogram);
            }
        }

        return matching.Count == 0 ? null : HistogramSnapshot.Add(matching);
    }

    private static double? Mean(HistogramSnapshot? histogram) =>
        histogram is { Count: > 0 } ? histogram.Sum / histogram.Count : null;

    private static double? Quantile(HistogramSnapshot? histogram, double q) =>
        histogram is { Count: > 0 } ? histogram.Quantile(q) : null;

    private static double? Milliseconds(double? seconds) => seconds * 1000;

    private static string CircuitStateName(double value) => value switch
    {
        1 => "open",
        2 => "half_open",
        _ => "closed",
    };
}
