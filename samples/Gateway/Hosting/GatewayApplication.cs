using Gateway.Accounts;
using Gateway.Configuration;
using Gateway.Endpoints;
using Gateway.Health;
using Gateway.Resilience;
using Gateway.Routing;
using Gateway.Simulation;
using Gateway.Telemetry;
using Microsoft.AspNetCore.Authentication;

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
        var options = ReadOptions(builder.Configuration);
        MetricsComposition.AddMetrics(builder, options);
        ConfigureServices(builder.Services, options);
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

    private static GatewayOptions ReadOptions(ConfigurationManager configuration)
    {
        var options = configuration.GetSection(GatewayOptions.SectionName).Get<GatewayOptions>() ?? new GatewayOptions();
        var problems = GatewayOptionsValidation.Problems(options);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(
                "The gateway configuration is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(problem => "  - " + problem)));
        }

        return options;
    }

    private static void ConfigureServices(IServiceCollection services, GatewayOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<ProviderDirectory>();
        services.AddSingleton<ModelCatalog>();
        services.AddSingleton<AccountDirectory>();
        services.AddSingleton<CredentialStore>();
        services.AddSingleton<LlmProxy>();
        services.AddSingleton<StatsReporter>();

        // The simulations must listen before the health monitor probes them and before clients arrive.
        services.AddSingleton<SimulatedProviderFleet>();
        services.AddHostedService(provider => provider.GetRequiredService<SimulatedProviderFleet>());
        services.AddHostedService<BackendHealthMonitor>();

        services.AddProviderHttpClients(options);
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, configureOptions: null);
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

        app.MapLlmEndpoints();
        app.MapModelEndpoints();
        app.MapStatsEndpoints();
        app.MapTokenEndpoints();
        app.MapSimulatorEndpoints();
        app.MapHealthEndpoint();
    }
}
