using Gateway.Configuration;
using Gateway.Routing;

namespace Gateway.Resilience;

/// <summary>Registers one named <c>HttpClient</c> per provider, each with its own Polly pipeline, and the probe client.</summary>
internal static class ProviderHttpClients
{
    /// <summary>The name of the client that health probes use; it has no retries, so a probe sees the provider as it is.</summary>
    public const string HealthProbeClientName = "health-probe";

    /// <summary>Registers the clients of every provider in <paramref name="options"/>.</summary>
    public static IServiceCollection AddProviderHttpClients(this IServiceCollection services, GatewayOptions options)
    {
        services.AddHttpClient(HealthProbeClientName, client => client.Timeout = options.HealthChecks.Timeout)
            .ConfigurePrimaryHttpMessageHandler(CreateHandler)
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);

        foreach (var name in options.Providers.Keys)
        {
            // Polly's timeouts bound each attempt; HttpClient's own timeout would also cut long streams short.
            services.AddHttpClient(Provider.ClientNameOf(name), client => client.Timeout = Timeout.InfiniteTimeSpan)
                .ConfigurePrimaryHttpMessageHandler(CreateHandler)
                .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
                .AddResilienceHandler(
                    "upstream",
                    (pipeline, context) => ProviderPipeline.Configure(
                        pipeline, context.ServiceProvider.GetRequiredService<ProviderDirectory>()[name], options.Resilience));
        }

        return services;
    }

    // One long-lived handler per client; recycling pooled connections every few minutes keeps DNS changes visible.
    private static SocketsHttpHandler CreateHandler() => new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        UseCookies = false,
    };
}
