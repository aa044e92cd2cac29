using System.Globalization;
using System.Text.Json;
using Gateway.Configuration;
using Gateway.Surfaces;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Endpoints;

/// <summary>
/// Reads the body of <c>POST /v1/tokens</c> strictly: none at all, or a JSON object with only <c>name</c> (a string
/// of at most 200 characters) and <c>expires_in_seconds</c> (a whole number within the configured lifetime range),
/// each of which may be null. Anything else is a 4xx naming the field, never a 500.
/// </summary>
internal static class TokenRequestReader
{
    /// <summary>The largest body the endpoint reads; its two fields need far less.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    /// <summary>The longest token name.</summary>
    public const int MaxNameLength = 200;

    /// <summary>The request, or null with the status and error to answer.</summary>
    public static async Task<(IssueTokenRequest? Request, int Status, RequestError? Error)> ReadAsync(HttpRequest request, TokenOptions limits)
    {
        if (request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false } || request.ContentLength == 0)
        {
            return (new IssueTokenRequest(null, null), StatusCodes.Status200OK, null);
        }

        var (document, status, error) = await JsonRequestBody.ReadObjectAsync(request, MaxBodyBytes);
        if (document is null)
        {
            return (null, status, error);
        }

        using (document)
        {
            error = Read(document.RootElement, limits, out var issue);
            return error is null ? (issue, StatusCodes.Status200OK, null) : (null, StatusCodes.Status400BadRequest, error);
        }
    }

    private static RequestError? Read(JsonElement root, TokenOptions limits, out IssueTokenRequest? issue)
    {
        issue = null;
        string? name = null;
        long? seconds = null;
        foreach (var property in root.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "name" when value.ValueKind == JsonValueKind.Null:
                    break;
                case "name" when value.ValueKind == JsonValueKind.String && value.GetString()!.Length <= MaxNameLength:
                    name = value.GetString();
                    break;
                case "name":
                    return new(ApiErrorKind.InvalidRequest, $"The 'name' field must be a string of at most {MaxNameLength} characters.", "name");
                case "expires_in_seconds" when value.ValueKind == JsonValueKind.Null:
                    break;
                case "expires_in_seconds" when value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var asked)
                    && asked >= (long)limits.MinLifetime.TotalSeconds && asked <= (long)limits.MaxLifetime.TotalSeconds:
                    seconds = asked;
                    break;
                case "expires_in_seconds":
                    return new(
                        ApiErrorKind.InvalidRequest,
                        string.Create(
                            CultureInfo.InvariantCulture,
                            $"The 'expires_in_seconds' field must be a whole number from {(long)limits.MinLifetime.TotalSeconds} to {(long)limits.MaxLifetime.TotalSeconds}, or left out for a token that lasts until revoked."),
                        "expires_in_seconds");
                default:
                    return new(
                        ApiErrorKind.InvalidRequest,
                        $"Unknown field '{EchoedText.Cut(property.Name)}'; the body takes only 'name' and 'expires_in_seconds'.",
                        EchoedText.Cut(property.Name));
            }
        }

        issue = new IssueTokenRequest(name, seconds);
        return null;
    }
}
