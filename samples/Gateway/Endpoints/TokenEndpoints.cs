using Gateway.Accounts;
using Gateway.Configuration;
using Gateway.Surfaces;

namespace Gateway.Endpoints;

/// <summary>
/// Gateway API tokens: <c>POST /v1/tokens</c> issues one for the caller's account, <c>GET /v1/tokens</c> lists them,
/// <c>DELETE /v1/tokens/{id}</c> revokes one. Only an account key may manage tokens; a token cannot mint more. An
/// account holds at most <see cref="TokenOptions.MaxPerAccount"/> live tokens, each living for a bounded time or until revoked.
/// </summary>
internal static class TokenEndpoints
{
    /// <summary>Maps the three token endpoints.</summary>
    public static void MapTokenEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/v1/tokens", (RequestDelegate)IssueAsync).RequireAuthorization();
        endpoints.MapGet("/v1/tokens", (RequestDelegate)ListAsync).RequireAuthorization();
        endpoints.MapDelete("/v1/tokens/{id}", (RequestDelegate)RevokeAsync).RequireAuthorization();
    }

    private static async Task IssueAsync(HttpContext context)
    {
        if (await RefuseGatewayTokenAsync(context) is not { } credential)
        {
            return;
        }

        var options = context.RequestServices.GetRequiredService<GatewayOptions>();
        var (request, status, error) = await TokenRequestReader.ReadAsync(context.Request, options.Tokens);
        if (request is null)
        {
            await ApiErrors.WriteAsync(context, ProviderStyle.OpenAI, status, error!);
            return;
        }

        var store = context.RequestServices.GetRequiredService<CredentialStore>();
        var lifetime = request.ExpiresInSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        if (!store.TryIssue(credential.Account, request.Name, lifetime, out var token, out var secret))
        {
            await ApiErrors.WriteAsync(
                context, ProviderStyle.OpenAI, StatusCodes.Status400BadRequest, ApiErrorKind.TokenLimitReached,
                $"Account '{credential.Account.Name}' already holds {store.MaxPerAccount} live tokens, the most it may; revoke one with DELETE /v1/tokens/{{id}} first.");
            return;
        }

        var body = new IssuedTokenResponse(token.Id, secret, credential.Account.Name, token.Name, token.CreatedAt, token.ExpiresAt);
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Location = $"/v1/tokens/{token.Id}";
        await Results.Json(body, GatewayJsonContext.Default.IssuedTokenResponse, statusCode: StatusCodes.Status201Created).ExecuteAsync(context);
    }

    private static async Task ListAsync(HttpContext context)
    {
        if (await RefuseGatewayTokenAsync(context) is not { } credential)
        {
            return;
        }

        var store = context.RequestServices.GetRequiredService<CredentialStore>();
        var list = store.TokensOf(credential.Account)
            .Select(token => new TokenInfo(token.Id, credential.Account.Name, token.Name, token.CreatedAt, token.ExpiresAt))
            .ToArray();
        await Results.Json(new TokenList(list), GatewayJsonContext.Default.TokenList).ExecuteAsync(context);
    }

    private static async Task RevokeAsync(HttpContext context)
    {
        if (await RefuseGatewayTokenAsync(context) is not { } credential)
        {
            return;
        }

        var id = (string)context.Request.RouteValues["id"]!;
        var store = context.RequestServices.GetRequiredService<CredentialStore>();
        if (!store.Revoke(credential.Account, id))
        {
            await ApiErrors.WriteAsync(context, ProviderStyle.OpenAI, StatusCodes.Status404NotFound, ApiErrorKind.NotFound, $"No live token '{EchoedText.Cut(id)}' belongs to this account.");
            return;
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static async Task<Credential?> RefuseGatewayTokenAsync(HttpContext context)
    {
        var credential = context.GetCredential();
        if (credential.Kind == CredentialKind.AccountKey)
        {
            return credential;
        }

        await ApiErrors.WriteAsync(
            context, ProviderStyle.OpenAI, StatusCodes.Status403Forbidden, ApiErrorKind.Permission,
            "Gateway tokens are managed with the account's API key; a gateway token cannot manage tokens.");
        return null;
    }
}
