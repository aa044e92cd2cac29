using System.Text.Json;
using Gateway.Accounts;
using Gateway.Configuration;
using Gateway.Surfaces;

namespace Gateway.Endpoints;

/// <summary>
/// Gateway API tokens: <c>POST /v1/tokens</c> issues one for the caller's account, <c>GET /v1/tokens</c> lists them,
/// <c>DELETE /v1/tokens/{id}</c> revokes one. Only an account key may manage tokens; a token cannot mint more.
/// </summary>
internal static class TokenEndpoints
{
    private const int MaxNameLength = 200;

    /// <summary>Maps the three token endpoints.</summary>
    public static void MapTokenEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var tokens = endpoints.MapGroup("/v1/tokens").RequireAuthorization();
        tokens.MapPost("", (RequestDelegate)IssueAsync);
        tokens.MapGet("", (RequestDelegate)ListAsync);
        tokens.MapDelete("/{id}", (RequestDelegate)RevokeAsync);
    }

    private static async Task IssueAsync(HttpContext context)
    {
        if (await RefuseGatewayTokenAsync(context) is not { } credential)
        {
            return;
        }

        IssueTokenRequest? request = null;
        if (context.Request.ContentLength is not 0)
        {
            try
            {
                request = await JsonSerializer.DeserializeAsync(context.Request.Body, GatewayJsonContext.Default.IssueTokenRequest, context.RequestAborted);
            }
            catch (JsonException exception)
            {
                await BadRequestAsync(context, ApiErrorKind.InvalidJson, $"The request body is not valid JSON: {exception.Message}");
                return;
            }
        }

        if (request?.ExpiresInSeconds is <= 0)
        {
            await BadRequestAsync(context, ApiErrorKind.InvalidRequest, "'expires_in_seconds' must be positive, or left out for a token that lasts until revoked.");
            return;
        }

        if (request?.Name is { Length: > MaxNameLength })
        {
            await BadRequestAsync(context, ApiErrorKind.InvalidRequest, $"'name' must be at most {MaxNameLength} characters.");
            return;
        }

        var store = context.RequestServices.GetRequiredService<CredentialStore>();
        var lifetime = request?.ExpiresInSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        var (token, secret) = store.Issue(credential.Account, request?.Name, lifetime);
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
            await ApiErrors.WriteAsync(context, ProviderStyle.OpenAI, StatusCodes.Status404NotFound, ApiErrorKind.NotFound, $"No token '{id}' belongs to this account.");
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

    private static Task BadRequestAsync(HttpContext context, ApiErrorKind kind, string message) =>
        ApiErrors.WriteAsync(context, ProviderStyle.OpenAI, StatusCodes.Status400BadRequest, kind, message);
}
