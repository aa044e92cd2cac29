using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Metrics.AspNetCore;

/// <summary>Answers a request with the status and <see cref="EndpointError"/> body that every library endpoint uses for its errors.</summary>
internal static class EndpointErrors
{
    public const string JsonContentType = "application/json; charset=utf-8";

    /// <summary>Writes <paramref name="status"/> with <c>{"error":code,"message":message}</c>, unless the response has already started.</summary>
    public static Task WriteAsync(HttpContext context, int status, string code, string message)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            return Task.CompletedTask;
        }

        // Serialized whole, then written through the stream: an error is small, and the body pipe may be what broke.
        var body = JsonSerializer.SerializeToUtf8Bytes(new EndpointError { Error = code, Message = message }, MetricsJsonContext.Default.EndpointError);
        response.StatusCode = status;
        response.ContentType = JsonContentType;
        response.ContentLength = body.Length;
        response.Headers.CacheControl = "no-store";
        return response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    /// <summary>
    /// The handler of an endpoint that answers only <paramref name="methods"/>: other methods get 405 with an
    /// <c>Allow</c> header and a JSON error, rather than routing's empty 405.
    /// </summary>
    public static RequestDelegate AllowingOnly(string[] methods, RequestDelegate handler)
    {
        var allow = string.Join(", ", methods);
        var message = $"This endpoint answers {string.Join(" and ", methods)} only.";
        return context =>
        {
            foreach (var method in methods)
            {
                if (HttpMethods.Equals(method, context.Request.Method))
                {
                    return handler(context);
                }
            }

            context.Response.Headers.Allow = allow;
            return WriteAsync(context, StatusCodes.Status405MethodNotAllowed, "method_not_allowed", message);
        };
    }
}
