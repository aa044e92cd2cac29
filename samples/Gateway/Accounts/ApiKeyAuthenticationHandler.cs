using System.Security.Claims;
using System.Text.Encodings.Web;
using Gateway.Surfaces;
using Gateway.Telemetry;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Gateway.Accounts;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;key&gt;</c> (OpenAI's convention) or <c>x-api-key: &lt;key&gt;</c>
/// (Anthropic's) against the account keys and issued tokens, and answers 401 and 403 in the endpoint's API shape.
/// Keys are never echoed, logged or put in a failure message.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    CredentialStore credentials,
    GatewayMetrics metrics)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme name.</summary>
    public const string SchemeName = "ApiKey";

    private const string AnthropicKeyHeader = "x-api-key";
    private const string BearerPrefix = "Bearer ";

    /// <inheritdoc />
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var secret = ReadSecret(Request);
        if (secret is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var credential = credentials.Resolve(secret);
        if (credential is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
        }

        Context.Features.Set(credential);
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, credential.Account.Name)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    /// <inheritdoc />
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var surface = Context.GetEndpoint()?.Metadata.GetMetadata<ApiSurface>();
        if (surface is not null)
        {
            metrics.RecordGatewayAnswer(surface, GatewayMetrics.None, StatusCodes.Status401Unauthorized);
        }

        Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
        var message = ReadSecret(Request) is null
            ? "Missing API key. Send it as 'Authorization: Bearer <key>' or 'x-api-key: <key>'."
            : "Invalid API key.";
        return ApiErrors.WriteAsync(Context, ClientStyle.Of(Context), StatusCodes.Status401Unauthorized, ApiErrorKind.Authentication, message);
    }

    /// <inheritdoc />
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiErrors.WriteAsync(
            Context,
            ClientStyle.Of(Context),
            StatusCodes.Status403Forbidden,
            ApiErrorKind.Permission,
            "This credential may not perform this operation.");

    private static string? ReadSecret(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) && authorization.Length > BearerPrefix.Length)
        {
            return authorization[BearerPrefix.Length..].Trim();
        }

        var apiKey = request.Headers[AnthropicKeyHeader].ToString();
        return apiKey.Length > 0 ? apiKey.Trim() : null;
    }
}
