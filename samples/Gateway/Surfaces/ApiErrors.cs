using System.Buffers;
using System.Text.Json;
using Gateway.Configuration;
using Microsoft.Net.Http.Headers;

namespace Gateway.Surfaces;

/// <summary>
/// Error bodies in each API's own shape: OpenAI's <c>{"error":{"message","type","param","code"}}</c> and Anthropic's
/// <c>{"type":"error","error":{"type","message"}}</c>. The gateway and the simulated providers share them.
/// </summary>
internal static class ApiErrors
{
    /// <summary>
    /// Writes <paramref name="status"/> and the error body in <paramref name="style"/>'s shape; <paramref name="param"/>
    /// names the request field at fault in OpenAI's <c>param</c> (Anthropic's shape has no such field).
    /// </summary>
    public static Task WriteAsync(HttpContext context, ProviderStyle style, int status, ApiErrorKind kind, string message, string? param = null)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.Headers[HeaderNames.CacheControl] = "no-store";
        var body = Serialize(style, kind, message, param);
        return response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    /// <summary>Writes <paramref name="error"/> with <paramref name="status"/> in <paramref name="style"/>'s shape.</summary>
    public static Task WriteAsync(HttpContext context, ProviderStyle style, int status, RequestError error) =>
        WriteAsync(context, style, status, error.Kind, error.Message, error.Param);

    /// <summary>The UTF-8 JSON error body for <paramref name="style"/>.</summary>
    public static byte[] Serialize(ProviderStyle style, ApiErrorKind kind, string message, string? param = null)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, ApiJson.WriterOptions))
        {
            Write(json, style, kind, message, param);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the error object for <paramref name="style"/> into <paramref name="json"/>.</summary>
    public static void Write(Utf8JsonWriter json, ProviderStyle style, ApiErrorKind kind, string message, string? param = null)
    {
        json.WriteStartObject();
        if (style == ProviderStyle.Anthropic)
        {
            json.WriteString("type", "error");
            json.WriteStartObject("error");
            json.WriteString("type", AnthropicType(kind));
            json.WriteString("message", message);
            json.WriteEndObject();
        }
        else
        {
            json.WriteStartObject("error");
            json.WriteString("message", message);
            json.WriteString("type", OpenAIType(kind));
            json.WriteString("param", param);
            if (OpenAICode(kind) is { } code)
            {
                json.WriteString("code", code);
            }
            else
            {
                json.WriteNull("code");
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    /// <summary>The machine-readable code OpenAI-style bodies carry, also used in Responses stream error events.</summary>
    public static string? OpenAICode(ApiErrorKind kind) => kind switch
    {
        ApiErrorKind.InvalidJson => "invalid_json",
        ApiErrorKind.InvalidRequest => "invalid_request",
        ApiErrorKind.Authentication => "invalid_api_key",
        ApiErrorKind.Permission => "insufficient_permissions",
        ApiErrorKind.ModelNotFound => "model_not_found",
        ApiErrorKind.NotFound => "not_found",
        ApiErrorKind.RequestTooLarge => "request_too_large",
        ApiErrorKind.UnsupportedMediaType => "unsupported_media_type",
        ApiErrorKind.TokenLimitReached => "token_limit_reached",
        ApiErrorKind.RateLimited => "rate_limit_exceeded",
        ApiErrorKind.UpstreamFailed => "upstream_failed",
        ApiErrorKind.UpstreamUnavailable => "upstream_unavailable",
        ApiErrorKind.StreamInterrupted => "stream_interrupted",
        ApiErrorKind.Untranslatable => "unsupported_parameter",
        _ => null,
    };

    private static string OpenAIType(ApiErrorKind kind) => kind switch
    {
        ApiErrorKind.RateLimited => "requests",
        ApiErrorKind.UpstreamFailed or ApiErrorKind.UpstreamUnavailable or ApiErrorKind.StreamInterrupted => "api_error",
        ApiErrorKind.ServerError or ApiErrorKind.Overloaded => "server_error",
        _ => "invalid_request_error",
    };

    private static string AnthropicType(ApiErrorKind kind) => kind switch
    {
        ApiErrorKind.Authentication => "authentication_error",
        ApiErrorKind.Permission => "permission_error",
        ApiErrorKind.ModelNotFound or ApiErrorKind.NotFound => "not_found_error",
        ApiErrorKind.RequestTooLarge => "request_too_large",
        ApiErrorKind.RateLimited => "rate_limit_error",
        ApiErrorKind.UpstreamUnavailable or ApiErrorKind.Overloaded => "overloaded_error",
        ApiErrorKind.UpstreamFailed or ApiErrorKind.ServerError or ApiErrorKind.StreamInterrupted => "api_error",
        _ => "invalid_request_error",
    };
}
