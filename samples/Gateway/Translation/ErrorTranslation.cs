using System.Text.Json;
using Gateway.Configuration;
using Gateway.Surfaces;

namespace Gateway.Translation;

/// <summary>
/// Carries a provider's error into the client's API: the same status and message, in the client's error shape, of
/// the kind the provider's status or error type stands for.
/// </summary>
internal static class ErrorTranslation
{
    /// <summary>The error body <paramref name="body"/> that came with <paramref name="status"/>, in <paramref name="clientStyle"/>'s shape.</summary>
    public static byte[] TranslateBody(int status, ReadOnlySpan<byte> body, ProviderStyle clientStyle)
    {
        var (message, type, param) = Read(body);
        var kind = status switch
        {
            StatusCodes.Status401Unauthorized => ApiErrorKind.Authentication,
            StatusCodes.Status403Forbidden => ApiErrorKind.Permission,
            StatusCodes.Status404NotFound => ApiErrorKind.NotFound,
            StatusCodes.Status413PayloadTooLarge => ApiErrorKind.RequestTooLarge,
            StatusCodes.Status429TooManyRequests => ApiErrorKind.RateLimited,
            _ => KindOf(type, status),
        };
        return ApiErrors.Serialize(clientStyle, kind, message ?? $"The provider answered {status}.", param);
    }

    // The message, type and (OpenAI) param of an error body in either API's shape.
    private static (string? Message, string? Type, string? Param) Read(ReadOnlySpan<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            var error = document.RootElement.TryGet("error", out var value) ? value : default;
            return error.ValueKind == JsonValueKind.Object ? (error.String("message"), error.String("type"), error.String("param")) : (null, null, null);
        }
        catch (JsonException)
        {
            return (null, null, null);
        }
    }

    /// <summary>The kind of error an error type of either API names.</summary>
    public static ApiErrorKind KindOf(string? type, int status = 0) => type switch
    {
        "authentication_error" => ApiErrorKind.Authentication,
        "permission_error" => ApiErrorKind.Permission,
        "not_found_error" => ApiErrorKind.NotFound,
        "request_too_large" => ApiErrorKind.RequestTooLarge,
        "rate_limit_error" or "requests" or "tokens" => ApiErrorKind.RateLimited,
        "overloaded_error" => ApiErrorKind.Overloaded,
        "api_error" or "server_error" => ApiErrorKind.ServerError,
        _ => status >= 500 ? ApiErrorKind.ServerError : ApiErrorKind.InvalidRequest,
    };
}
