using System.Diagnostics.CodeAnalysis;
using Metrics;
using Metrics.AspNetCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Prometheus metrics adapter and its history sampler.</summary>
public static class PrometheusMetricsServiceCollectionExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="MetricRegistry"/>, the adapter's <see cref="PrometheusMetricsOptions"/>, the
    /// request and connection metrics built from them, and the <see cref="ScrapeCache"/> that the scrape endpoints share. A <see cref="MetricRegistry"/> the application registered
    /// itself is used instead of a new one, so its own metrics and the adapter's share one scrape. The options are
    /// validated when the host starts.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets options in code; it runs after any configuration binding.</param>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters",
        Justification = "The overloads differ in a required parameter, so no call is ambiguous; new settings go into PrometheusMetricsOptions, never into a new parameter.")]
    public static IServiceCollection AddPrometheusMetrics(this IServiceCollection services, Action<PrometheusMetricsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<PrometheusMetricsOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PrometheusMetricsOptions>, PrometheusMetricsOptionsValidator>());
        services.TryAddSingleton(static provider => new MetricRegistry(new MetricRegistryOptions
        {
            DefaultCardinalityLimit = provider.GetRequiredService<IOptions<PrometheusMetricsOptions>>().Value.CardinalityLimit,
        }));
        services.TryAddSingleton(static provider => new HttpRequestMetrics(
            provider.GetRequiredService<MetricRegistry>(), provider.GetRequiredService<IOptions<PrometheusMetricsOptions>>().Value));
        // One cache per registry, so every scrape endpoint of the application (a second listener's, say) shares collections.
        services.TryAddSingleton(static provider => new ScrapeCache(
            provider.GetRequiredService<MetricRegistry>(), provider.GetRequiredService<IOptions<PrometheusMetricsOptions>>().Value.ToScrapeCacheOptions()));
        services.TryAddSingleton(static provider => new HttpConnectionMetrics(
            provider.GetRequiredService<MetricRegistry>(), provider.GetRequiredService<IOptions<PrometheusMetricsOptions>>().Value));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DefaultCollectorsActivation>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, MeterBridgeActivation>());
        return services;
    }

    /// <summary>
    /// Registers the adapter as <see cref="AddPrometheusMetrics(IServiceCollection, Action{PrometheusMetricsOptions}?)"/>
    /// does, with options bound from <paramref name="configuration"/>, for example
    /// <c>builder.Configuration.GetSection("PrometheusMetrics")</c>. Keys are the option names: <c>Prefix</c>,
    /// <c>RequestDurationBuckets</c>, <c>RouteLabel</c>, <c>ExcludedPaths</c>, <c>CardinalityLimit</c>, <c>EnableDefaultCollectors</c>, <c>EnableExemplars</c>, <c>EnableMeterBridge</c>, <c>MeterBridgeMeters</c>,
    /// <c>Quantiles</c>, <c>ScrapeCacheDuration</c>, <c>ScrapeMinimumInterval</c>, <c>QueryLengthLimit</c>, <c>QuerySelectorLimit</c>, <c>LiveClientLimit</c>, <c>LiveSendTimeout</c> and <c>LiveAllowedOrigins</c>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The section to bind.</param>
    /// <param name="configure">Sets options in code; it runs after the binding, so it wins.</param>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters",
        Justification = "The overloads differ in a required parameter, so no call is ambiguous; new settings go into PrometheusMetricsOptions, never into a new parameter.")]
    public static IServiceCollection AddPrometheusMetrics(this IServiceCollection services, IConfiguration configuration, Action<PrometheusMetricsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<PrometheusMetricsOptions>().Bind(configuration);
        return services.AddPrometheusMetrics(configure);
    }

    /// <summary>
    /// Registers a <see cref="MetricHistory"/> of the adapter's <see cref="MetricRegistry"/>, which samples from host
    /// start to host stop, and the 1 Hz push behind <c>MapPrometheusMetricsStream</c> and
    /// <c>MapPrometheusMetricsWebSocket</c>. Needs <c>AddPrometheusMetrics</c>. The history estimates the quantiles of
    /// <see cref="PrometheusMetricsOptions.Quantiles"/>, as the snapshot endpoint does, unless
    /// <paramref name="configure"/> sets <see cref="MetricHistoryOptions.Quantiles"/> itself. Calling it again only adds
    /// <paramref name="configure"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the interval (10 s by default, at least 1 s), the capacity (180 points) and the clock.</param>
    public static IServiceCollection AddPrometheusMetricsHistory(this IServiceCollection services, Action<MetricHistoryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var registered = services.Any(static descriptor => descriptor.ServiceType == typeof(MetricHistory));
        var options = services.AddOptions<MetricHistoryOptions>();
        if (!registered)
        {
            // Registered before any configure of the application's, which therefore wins.
            options.Configure<IServiceProvider>(static (history, provider) =>
                history.Quantiles = (provider.GetService<IOptions<PrometheusMetricsOptions>>()?.Value ?? new PrometheusMetricsOptions()).QuantilesOrDefault);
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (registered)
        {
            return services;
        }

        services.AddSingleton(static provider => new MetricHistory(
            PrometheusMetricsServices.Resolve<MetricRegistry>(provider, nameof(AddPrometheusMetricsHistory)),
            provider.GetRequiredService<IOptions<MetricHistoryOptions>>().Value));
        services.AddSingleton(static provider =>
        {
            // The push follows the clock the history samples on, so each tick finds the point it announces.
            var history = provider.GetRequiredService<MetricHistory>();
            var options = provider.GetService<IOptions<PrometheusMetricsOptions>>()?.Value ?? new PrometheusMetricsOptions();
            return new LiveUpdateHub(history, provider.GetRequiredService<MetricRegistry>(), history.TimeProvider, options.LiveClientLimit, options.LiveSendTimeout);
        });
        services.AddSingleton<IHostedService, MetricHistoryActivation>();
        services.AddSingleton<IHostedService>(static provider => provider.GetRequiredService<LiveUpdateHub>());
        return services;
    }
}
