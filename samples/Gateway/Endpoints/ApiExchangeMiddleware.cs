using System.Diagnostics;
using Gateway.Accounts;
using Gateway.Routing;
using Gateway.Surfaces;

namespace Gateway.Endpoints;

/// <summary>
/// Gives every call to the provider-compatible endpoints a request id in its API's style (<c>x-request-id</c> for
/// OpenAI clients, <c>request-id</c> for Anthropic clients), sent on every answer, refusals included, and writes one
/// access log line per call with that id, so an operator can find the call a user quotes in a ticket. Calls the
/// gateway admitted log at Information. Calls refused at the door (401, 403, 429) log at Debug: anyone can send those
/// as fast as they like, and <see cref="AuthenticationRefusals"/> and <c>llm_rate_limited_total</c> already tell
/// operators how many there were.
/// </summary>
internal sealed partial class ApiExchangeMiddleware(RequestDelegate next, ILogger<ApiExchangeMiddleware> logger)
{
    /// <summary>Endpoint metadata that marks the provider-compatible endpoints.</summary>
    public static readonly object EndpointMarker = new ProviderApiEndpoint();

    /// <summary>Handles one request.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var metadata = context.GetEndpoint()?.Metadata;
        if (metadata?.GetMetadata<ProviderApiEndpoint>() is null)
        {
            await next(context);
            return;
        }

        var style = ClientStyle.Of(context);
        var header = RequestIds.HeaderFor(style);
        var exchange = new ApiExchange(RequestIds.New(style), header);
        context.Response.Headers[header] = exchange.RequestId;
        context.Features.Set(exchange);
        var started = Stopwatch.GetTimestamp();
        var failed = true;
        try
        {
            await next(context);
            failed = false;
        }
        finally
        {
            Log(context, exchange, started, failed);
        }
    }

    private static bool RefusedAtTheDoor(int status) =>
        status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden or StatusCodes.Status429TooManyRequests;

    private void Log(HttpContext context, ApiExchange exchange, long started, bool failed)
    {
        var status = failed ? StatusCodes.Status500InternalServerError
            : exchange.Status ?? (context.RequestAborted.IsCancellationRequested ? LlmProxy.StatusClientClosedRequest : context.Response.StatusCode);
        var level = RefusedAtTheDoor(status) ? LogLevel.Debug : LogLevel.Information;
        if (!logger.IsEnabled(level))
        {
            return;
        }

        var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var account = context.Features.Get<Credential>()?.Account.Name ?? "none";
        LogExchange(
            logger,
            level,
            exchange.ClientRequestId,
            context.Request.Method,
            context.Request.Path.Value,
            status,
            elapsedMs,
            account,
            exchange.Model ?? "none",
            exchange.Provider ?? "none",
            exchange.RequestId);
    }

    [LoggerMessage(
        Message = "Request {RequestId}: {Method} {Path} answered {Status} in {ElapsedMs:0.0} ms (account {Account}, model {Model}, provider {Provider}, gateway id {GatewayRequestId}).")]
    private static partial void LogExchange(
        ILogger logger, LogLevel level, string requestId, string method, string? path, int status, double elapsedMs, string account, string model, string provider, string gatewayRequestId);

    private sealed class ProviderApiEndpoint;
}
