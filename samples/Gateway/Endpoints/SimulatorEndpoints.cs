using System.Text.Json;
using Gateway.Configuration;
using Gateway.Simulation;
using Gateway.Surfaces;

namespace Gateway.Endpoints;

/// <summary>
/// The control endpoint of the simulated providers: <c>GET /simulator/providers</c> shows them, and
/// <c>POST /simulator/providers/{name}</c> with <c>{"mode":"failing"}</c> (or <c>healthy</c>, <c>rate_limited</c>,
/// <c>timeout</c>, optionally with <c>"count": n</c>) flips one at run time, to watch failover and the circuit breaker.
/// </summary>
internal static class SimulatorEndpoints
{
    /// <summary>Maps both endpoints, behind an API key.</summary>
    public static void MapSimulatorEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var simulator = endpoints.MapGroup("/simulator/providers").RequireAuthorization();
        simulator.MapGet("", (SimulatedProviderFleet fleet) =>
            Results.Json(new SimulatedProviderList([.. fleet.All.Select(StateOf)]), GatewayJsonContext.Default.SimulatedProviderList));
        simulator.MapPost("/{name}", (RequestDelegate)SetFaultAsync);
    }

    private static async Task SetFaultAsync(HttpContext context)
    {
        var name = (string)context.Request.RouteValues["name"]!;
        var fleet = context.RequestServices.GetRequiredService<SimulatedProviderFleet>();
        if (!fleet.TryGet(name, out var simulated))
        {
            await ApiErrors.WriteAsync(context, ProviderStyle.OpenAI, StatusCodes.Status404NotFound, ApiErrorKind.NotFound, $"No simulated provider is named '{name}'.");
            return;
        }

        FaultRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(context.Request.Body, GatewayJsonContext.Default.FaultRequest, context.RequestAborted);
        }
        catch (JsonException exception)
        {
            await ApiErrors.WriteAsync(
                context, ProviderStyle.OpenAI, StatusCodes.Status400BadRequest, ApiErrorKind.InvalidJson,
                $"Expected {{\"mode\": \"healthy\" | \"failing\" | \"rate_limited\" | \"timeout\", \"count\": optional positive number}}: {exception.Message}");
            return;
        }

        if (request is null || request.Count is < 1)
        {
            await ApiErrors.WriteAsync(
                context, ProviderStyle.OpenAI, StatusCodes.Status400BadRequest, ApiErrorKind.InvalidRequest,
                "Send {\"mode\": ..., \"count\": n} with a positive count, or leave count out to keep the mode until changed.");
            return;
        }

        simulated.Faults.Set(request.Mode, request.Count);
        await Results.Json(StateOf(simulated), GatewayJsonContext.Default.SimulatedProviderState).ExecuteAsync(context);
    }

    private static SimulatedProviderState StateOf(SimulatedProvider simulated)
    {
        var (mode, remaining) = simulated.Faults.State;
        return new SimulatedProviderState(simulated.Name, simulated.Style.ToString().ToLowerInvariant(), simulated.BaseUri.AbsoluteUri, mode, remaining);
    }
}
