using Metrics;
using Metrics.AspNetCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the history sampler behind the live endpoints and the dashboard.</summary>
public static class MetricHistoryServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="MetricHistory"/> of the adapter's <see cref="MetricRegistry"/>, which samples from host
    /// start to host stop, and the 1 Hz push behind <c>MapMetricsUsageStream</c> and <c>MapMetricsUsageWebSocket</c>.
    /// Needs <c>AddPrometheusMetrics</c>. Calling it again only adds <paramref name="configure"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the interval (10 s by default, at least 1 s), the capacity (180 points) and the clock.</param>
    public static IServiceCollection AddPrometheusMetricsHistory(this IServiceCollection services, Action<MetricHistoryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<MetricHistoryOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (services.Any(static descriptor => descriptor.ServiceType == typeof(MetricHistory)))
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
