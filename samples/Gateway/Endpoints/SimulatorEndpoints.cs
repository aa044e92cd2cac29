using Gateway.Configuration;
using Gateway.Routing;
using Gateway.Simulation;
using Gateway.Surfaces;

namespace Gateway.Endpoints;

/// <summary>
/// The operators' control of the simulated providers: <c>GET /simulator/providers</c> (and <c>/{name}</c>) shows
/// them, and <c>POST /simulator/providers/{name}</c> with <c>{"mode":"failing"}</c> (or <c>healthy</c>,
/// <c>rate_limited</c>, <c>timeout</c>, optionally with <c>"count": n</c>) flips one at run time, to watch failover
/// and the circuit breaker. Every tenant shares the providers, so the gateway maps these on its management listener.
/// </summary>
internal static class SimulatorEndpoints
{
    /// <summary>Maps the three endpoints.</summary>
    public static void MapSimulatorEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/simulator/providers", (SimulatedProviderFleet fleet) =>
            Results.Json(new SimulatedProviderList([.. fleet.All.Select(StateOf)]), GatewayJsonContext.Default.SimulatedProviderList));
        endpoints.MapGet("/simulator/providers/{name}", (RequestDelegate)ShowAsync);
        endpoints.MapPost("/simulator/providers/{name}", (RequestDelegate)SetFaultAsync);
    }

    private static async Task ShowAsync(HttpContext context)
    {
        if (await FindAsync(context) is { } simulated)
        {
            await Results.Json(StateOf(simulated), GatewayJsonContext.Default.SimulatedProviderState).ExecuteAsync(context);
        }
    }

    private static async Task SetFaultAsync(HttpContext context)
    {
        if (await FindAsync(context) is not { } simulated)
        {
            return;
        }

        var (request, status, error) = await FaultRequestReader.ReadAsync(context.Request);
        if (request is null)
        {
            await ApiErrors.WriteAsync(context, ProviderStyle.OpenAI, status, error!);
            return;
        }

        simulated.Faults.Set(request.Mode, request.Count);
        await Results.Json(StateOf(simulated), GatewayJsonContext.Default.SimulatedProviderState).ExecuteAsync(context);
    }

    private static async Task<SimulatedProvider?> FindAsync(HttpContext context)
    {
        var name = (string)context.Request.RouteValues["name"]!;
        var fleet = context.RequestServices.GetRequiredService<SimulatedProviderFleet>();
        if (fleet.TryGet(name, out var simulated))
        {
            return simulated;
        }

        var message = context.RequestServices.GetRequiredService<ProviderDirectory>().TryGet(name, out _)
            ? $"Provider '{EchoedText.Cut(name)}' is real (it has a BaseUrl); only simulated providers take faults."
            : $"No simulated provider is named '{EchoedText.Cut(name)}'.";
        var names = fleet.All.Select(provider => provider.Name).ToArray();
        message += names.Length == 0 ? " This gateway simulates no provider." : $" The simulated providers are: {string.Join(", ", names)}.";
        await ApiErrors.WriteAsync(context, ProviderStyle.OpenAI, StatusCodes.Status404NotFound, ApiErrorKind.NotFound, message);
        return null;
    }

    private static SimulatedProviderState StateOf(SimulatedProvider simulated)
    {
        var (mode, remaining) = simulated.Faults.State;
        return new SimulatedProviderState(simulated.Name, simulated.Style.ToString().ToLowerInvariant(), simulated.BaseUri.AbsoluteUri, mode, remaining);
    }
}
