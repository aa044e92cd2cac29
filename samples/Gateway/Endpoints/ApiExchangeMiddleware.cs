using System.Diagnostics;
using Gateway.Accounts;
using Gateway.Routing;
using Gateway.Surfaces;

namespace Gateway.Endpoints;

/// <summary>
/// Gives every call to the provider-compatible endpoints a request id in its API's style (<c>x-request-id</c> for
/// OpenAI clients, <c>request-id</c> for Anthropic clients), sent on every answer, refusals included, and writes one
/// access log line per call with that id, so an operator can find the call a user quotes in a ticket.
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
            if (logger.IsEnabled(LogLevel.Information))
            {
                Log(context, exchange, started, failed);
            }
        }
    }

    private void Log(HttpContext context, ApiExchange exchange, long started, bool failed)
    {
        var status = failed ? StatusCodes.Status500InternalServerError
            : exchange.Status ?? (context.RequestAborted.IsCancellationRequested ? LlmProxy.StatusClientClosedRequest : context.Response.StatusCode);
        var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var account = context.Features.Get<Credential>()?.Account.Name ?? "none";
        LogExchange(
            logger,
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
        Level = LogLevel.Information,
        Message = "Request {RequestId}: {Method} {Path} answered {Status} in {ElapsedMs:0.0} ms (account {Account}, model {Model}, provider {Provider}, gateway id {GatewayRequestId}).")]
    private static partial void LogExchange(
        ILogger logger, string requestId, string method, string? path, int status, double elapsedMs, string account, string model, string provider, string gatewayRequestId);

    private sealed class ProviderApiEndpoint;
}
