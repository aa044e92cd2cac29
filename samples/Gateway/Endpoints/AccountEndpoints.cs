using Gateway.Accounts;

namespace Gateway.Endpoints;

/// <summary>
/// <c>GET /v1/accounts/me</c>: the caller's own account, with the numbers <c>/v1/accounts</c> shows operators for it
/// and nothing of any other account. It reads the account's own series handles, so it costs the same however many
/// accounts and series the gateway has.
/// </summary>
internal static class AccountEndpoints
{
    /// <summary>Maps the endpoint, behind an account key or gateway token.</summary>
    public static void MapAccountEndpoint(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/v1/accounts/me", (HttpContext context) =>
        {
            var account = context.GetCredential().Account;
            context.Response.Headers.CacheControl = "no-store";
            return Results.Json(account.Metrics.Read(account.Name), GatewayJsonContext.Default.AccountStats);
        }).RequireAuthorization();
}
