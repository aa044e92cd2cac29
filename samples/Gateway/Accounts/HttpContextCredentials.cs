namespace Gateway.Accounts;

/// <summary>Reads the credential that <see cref="ApiKeyAuthenticationHandler"/> attached to a request.</summary>
internal static class HttpContextCredentials
{
    /// <summary>The authenticated caller; only valid on endpoints that require authorization.</summary>
    public static Credential GetCredential(this HttpContext context) =>
        context.Features.Get<Credential>() ?? throw new InvalidOperationException("The endpoint requires an authenticated caller.");
}
