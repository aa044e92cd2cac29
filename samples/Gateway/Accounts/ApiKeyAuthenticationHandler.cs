using System.Security.Claims;
using Gateway.Surfaces;
using Gateway.Telemetry;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Net.Http.Headers;

namespace Gateway.Accounts;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;key&gt;</c> (OpenAI's convention) or <c>x-api-key: &lt;key&gt;</c>
/// (Anthropic's) against the account keys and issued tokens, and answers 401 and 403 in the endpoint's API shape.
/// Keys are never echoed, logged or put in a failure message. It implements <see cref="IAuthenticationHandler"/>
/// directly rather than deriving from <c>AuthenticationHandler</c>, whose every refusal logs at Information: a
/// request without a valid key is routine on a public API, so refusals go to <see cref="AuthenticationRefusals"/>.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(CredentialStore credentials, GatewayMetrics metrics, AuthenticationRefusals refusals)
    : IAuthenticationHandler
{
    /// <summary>The scheme name.</summary>
    public const string SchemeName = "ApiKey";

    private const string AnthropicKeyHeader = "x-api-key";
    private const string BearerPrefix = "Bearer ";

    private HttpContext _context = null!;

    /// <inheritdoc />
    public Task InitializeAsync(AuthenticationScheme scheme, HttpContext context)
    {
        _context = context;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<AuthenticateResult> AuthenticateAsync()
    {
        var secret = ReadSecret(_context.Request);
        if (secret is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var credential = credentials.Resolve(secret);
        if (credential is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
        }

        _context.Features.Set(credential);
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, credential.Account.Name)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    /// <inheritdoc />
    public Task ChallengeAsync(AuthenticationProperties? properties)
    {
        var endpoint = _context.GetEndpoint();
        var surface = endpoint?.Metadata.GetMetadata<ApiSurface>();
        if (surface is not null)
        {
            metrics.RecordGatewayAnswer(surface, GatewayMetrics.None, StatusCodes.Status401Unauthorized);
        }

        var keyMissing = ReadSecret(_context.Request) is null;
        refusals.Record(keyMissing, endpoint);
        _context.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
        var message = keyMissing
            ? "Missing API key. Send it as 'Authorization: Bearer <key>' or 'x-api-key: <key>'."
            : "Invalid API key.";
        return ApiErrors.WriteAsync(_context, ClientStyle.Of(_context), StatusCodes.Status401Unauthorized, ApiErrorKind.Authentication, message);
    }

    /// <inheritdoc />
    public Task ForbidAsync(AuthenticationProperties? properties) =>
        ApiErrors.WriteAsync(
            _context,
            ClientStyle.Of(_context),
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
