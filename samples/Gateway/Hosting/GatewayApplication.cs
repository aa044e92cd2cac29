using Gateway.Accounts;
using Gateway.Configuration;
using Gateway.Endpoints;
using Gateway.Health;
using Gateway.Listeners;
using Gateway.Resilience;
using Gateway.Routing;
using Gateway.Simulation;
using Gateway.Telemetry;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gateway.Hosting;

/// <summary>
/// Builds the gateway application. <c>Program.cs</c> and the tests use the same two calls, so the tests run exactly
/// the gateway that <c>dotnet run</c> starts, only with their own configuration.
/// </summary>
internal static class GatewayApplication
{
    /// <summary>The standard web application builder: <c>appsettings.json</c>, environment variables and arguments.</summary>
    public static WebApplicationBuilder CreateBuilder(string[] args) => WebApplication.CreateBuilder(args);

    /// <summary>Reads and checks the <c>Gateway</c> configuration, registers the services and builds the pipeline.</summary>
    /// <exception cref="InvalidOperationException">The configuration is invalid; the message lists every problem.</exception>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(GatewayOptions.SectionName).Get<GatewayOptions>() ?? new GatewayOptions();
        var listeners = GatewayListeners.FromConfiguration(builder.Configuration, options);
        ThrowIfInvalid([.. GatewayOptionsValidation.Problems(options), .. listeners.Problems()]);

        // Kestrel applies endpoint defaults, such as connection metrics, only to listeners declared after them.
        MetricsComposition.AddMetrics(builder, options);
        listeners.Bind(builder.WebHost);
        builder.Services.AddSingleton(listeners);
        ConfigureServices(builder.Services, options);
        AuthenticationRefusals.QuietFrameworkLogs(builder.Logging);
        var app = builder.Build();
        ConfigurePipeline(app, options);

        // Resolved now, so that every provider, route and account series exists from the first scrape on, and
        // uptime counts from the start.
        FleetGauges.Register(
            app.Services.GetRequiredService<GatewayMetrics>(),
            app.Services.GetRequiredService<ProviderDirectory>(),
            app.Services.GetRequiredService<ModelCatalog>());
        app.Services.GetRequiredService<AccountDirectory>();
        app.Services.GetRequiredService<StatsReporter>();
        return app;
    }

    private static void ThrowIfInvalid(List<string> problems)
    {
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(
                "The gateway configuration is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(problem => "  - " + problem)));
        }
    }

    private static void ConfigureServices(IServiceCollection services, GatewayOptions options)
    {
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<ProviderDirectory>();
        services.AddSingleton<ModelCatalog>();
        services.AddSingleton<AccountDirectory>();
        services.AddSingleton<CredentialStore>();
        services.AddSingleton<AuthenticationRefusals>();
        services.AddSingleton<LlmProxy>();
        services.AddSingleton<StatsReporter>();

        // The simulations must listen before the health monitor probes them and before clients arrive.
        services.AddSingleton<SimulatedProviderFleet>();
        services.AddHostedService(provider => provider.GetRequiredService<SimulatedProviderFleet>());
        services.AddHostedService<BackendHealthMonitor>();

        services.AddProviderHttpClients(options);
        services.AddAuthentication(authentication =>
        {
            authentication.DefaultScheme = ApiKeyAuthenticationHandler.SchemeName;
            authentication.AddScheme<ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, displayName: null);
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, ListenerMatcherPolicy>());
        services.AddAuthorization();
        services.AddAccountRateLimiting();
        services.AddHealthChecks().AddCheck<BackendsHealthCheck>("backends");
    }

    private static void ConfigurePipeline(WebApplication app, GatewayOptions options)
    {
        app.UseRouting();
        MetricsComposition.UseMetrics(app, options);
        app.UseMiddleware<ApiExchangeMiddleware>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();

        // Tenants reach only the APIs and their own account; operators reach the rest on a listener of their own.
        var tenants = app.MapGroup("").RequireListener(GatewayListeners.Public);
        tenants.MapLlmEndpoints();
        tenants.MapModelEndpoints();
        tenants.MapTokenEndpoints();
        tenants.MapAccountEndpoint();

        var operators = app.MapGroup("").RequireListener(GatewayListeners.Management);
        MetricsComposition.MapMetricsEndpoints(operators, options);
        operators.MapStatsEndpoints();
        operators.MapSimulatorEndpoints();

        app.MapHealthEndpoint();
    }
}
