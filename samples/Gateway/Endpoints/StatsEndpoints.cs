using Gateway.Telemetry;

namespace Gateway.Endpoints;

/// <summary><c>GET /v1/stats</c> and <c>GET /v1/accounts</c>: JSON views of the same series <c>/metrics</c> exposes.</summary>
internal static class StatsEndpoints
{
    /// <summary>Maps both endpoints.</summary>
    public static void MapStatsEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1/stats", (StatsReporter reporter) => Results.Json(reporter.Stats(), GatewayJsonContext.Default.StatsReport));
        endpoints.MapGet("/v1/accounts", (StatsReporter reporter) => Results.Json(reporter.Accounts(), GatewayJsonContext.Default.AccountsReport));
    }
}
