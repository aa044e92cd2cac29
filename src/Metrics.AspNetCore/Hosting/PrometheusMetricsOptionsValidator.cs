using Microsoft.Extensions.Options;

namespace Metrics.AspNetCore;

/// <summary>
/// Checks the settings at startup, so a bad value in configuration stops the application with a message that names
/// the setting. Bucket layouts are checked by <see cref="MetricRegistry"/> itself when the histogram is registered.
/// </summary>
internal sealed class PrometheusMetricsOptionsValidator : IValidateOptions<PrometheusMetricsOptions>
{
    private static readonly TimeSpan MaximumScrapeCacheDuration = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan MaximumScrapeMinimumInterval = TimeSpan.FromSeconds(10);

    public ValidateOptionsResult Validate(string? name, PrometheusMetricsOptions options)
    {
        List<string>? failures = null;
        // Any valid metric name stays valid with letters appended, so checking one suffixed name checks the prefix.
        if (options.Prefix is null || (options.Prefix.Length > 0 && !MetricNames.IsValidMetricName(options.Prefix + "http")))
        {
            (failures ??= []).Add(
                $"PrometheusMetricsOptions.Prefix '{options.Prefix}' is invalid: it must start with a letter, '_' or ':' and hold only letters, digits, '_' and ':'.");
        }

        if (options.CardinalityLimit < 1)
        {
            (failures ??= []).Add($"PrometheusMetricsOptions.CardinalityLimit {options.CardinalityLimit} is invalid: it must be at least 1.");
        }

        foreach (var path in options.ExcludedPaths)
        {
            if (string.IsNullOrEmpty(path) || path[0] != '/')
            {
                (failures ??= []).Add($"PrometheusMetricsOptions.ExcludedPaths entry '{path}' is invalid: a path must start with '/'.");
            }
        }

        foreach (var meter in options.MeterBridgeMeters ?? [])
        {
            if (string.IsNullOrEmpty(meter) || meter.IndexOf('*', StringComparison.Ordinal) is var star and >= 0 && star != meter.Length - 1)
            {
                (failures ??= []).Add(
                    $"PrometheusMetricsOptions.MeterBridgeMeters entry '{meter}' is invalid: it must be a meter name, or a prefix ending in '*' such as 'System.Net.*'.");
            }
        }

        if (options.Quantiles is { } quantiles && !MetricHistoryOptions.AreQuantiles([.. quantiles]))
        {
            (failures ??= []).Add(
                $"PrometheusMetricsOptions.Quantiles [{string.Join(", ", quantiles)}] is invalid: give at least one quantile, each between 0 and 1 and each greater than the one before, such as 0.5, 0.95, 0.99.");
        }

        if (options.ScrapeCacheDuration < TimeSpan.Zero || options.ScrapeCacheDuration > MaximumScrapeCacheDuration)
        {
            (failures ??= []).Add($"PrometheusMetricsOptions.ScrapeCacheDuration {options.ScrapeCacheDuration} is invalid: it must be between zero and one minute.");
        }

        if (options.ScrapeMinimumInterval < TimeSpan.Zero || options.ScrapeMinimumInterval > MaximumScrapeMinimumInterval)
        {
            (failures ??= []).Add($"PrometheusMetricsOptions.ScrapeMinimumInterval {options.ScrapeMinimumInterval} is invalid: it must be between zero and ten seconds.");
        }

        if (options.QueryLengthLimit < 1)
        {
            (failures ??= []).Add($"PrometheusMetricsOptions.QueryLengthLimit {options.QueryLengthLimit} is invalid: it must be at least 1.");
        }

        if (options.QuerySelectorLimit < 1)
        {
            (failures ??= []).Add($"PrometheusMetricsOptions.QuerySelectorLimit {options.QuerySelectorLimit} is invalid: it must be at least 1.");
        }

        if (options.LiveClientLimit < 1)
        {
            (failures ??= []).Add($"PrometheusMetricsOptions.LiveClientLimit {options.LiveClientLimit} is invalid: it must be at least 1.");
        }

        if (options.LiveSendTimeout < TimeSpan.FromSeconds(1))
        {
            (failures ??= []).Add($"PrometheusMetricsOptions.LiveSendTimeout {options.LiveSendTimeout} is invalid: it must be at least one second.");
        }

        foreach (var origin in options.LiveAllowedOrigins)
        {
            if (!LiveOrigins.IsValidAllowedOrigin(origin))
            {
                (failures ??= []).Add(
                    $"PrometheusMetricsOptions.LiveAllowedOrigins entry '{origin}' is invalid: give '*' or an origin such as 'https://dashboard.example.com' (scheme, host and optional port, no path).");
            }
        }

        return failures is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
