using System.Diagnostics.CodeAnalysis;
using Metrics;
using Metrics.AspNetCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Prometheus metrics adapter.</summary>
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
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, DefaultCollectorsActivation>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, MeterBridgeActivation>());
        return services;
    }

    /// <summary>
    /// Registers the adapter as <see cref="AddPrometheusMetrics(IServiceCollection, Action{PrometheusMetricsOptions}?)"/>
    /// does, with options bound from <paramref name="configuration"/>, for example
    /// <c>builder.Configuration.GetSection("PrometheusMetrics")</c>. Keys are the option names: <c>Prefix</c>,
    /// <c>RequestDurationBuckets</c>, <c>RouteLabel</c>, <c>ExcludedPaths</c>, <c>CardinalityLimit</c>, <c>EnableDefaultCollectors</c>, <c>EnableExemplars</c>, <c>EnableMeterBridge</c>, <c>MeterBridgeMeters</c>,
    /// <c>ScrapeCacheDuration</c>, <c>ScrapeMinimumInterval</c>, <c>QueryLengthLimit</c>, <c>QuerySelectorLimit</c>, <c>LiveClientLimit</c>, <c>LiveSendTimeout</c> and <c>LiveAllowedOrigins</c>.
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
}
