using System.Diagnostics;
using Gateway.Accounts;
using Gateway.Configuration;
using Gateway.Streaming;
using Gateway.Surfaces;
using Gateway.Telemetry;
using Microsoft.Net.Http.Headers;

namespace Gateway.Routing;

/// <summary>
/// Serves one LLM request: reads and checks it, then walks the model's provider chain. Each provider's
/// <c>HttpClient</c> carries its own Polly retries and circuit breaker; when a provider still fails with a fault of
/// its own (429, 5xx, timeout, connection, refused credentials, open circuit) the next one takes over, which is
/// failover. A malformed request is refused here, before any provider sees it.
/// </summary>
internal sealed partial class LlmProxy(
    IHttpClientFactory clients,
    ModelCatalog models,
    GatewayMetrics metrics,
    GatewayOptions options,
    ILogger<LlmProxy> logger)
{
    /// <summary>The response header naming the provider that produced the response.</summary>
    public const string ProviderHeader = "x-gateway-provider";

    private const int StatusClientClosedRequest = 499;

    /// <summary>Serves a request to <paramref name="surface"/> from an authenticated caller.</summary>
    public async Task HandleAsync(HttpContext context, ApiSurface surface)
    {
        var started = Stopwatch.GetTimestamp();
        var account = context.GetCredential().Account;
        account.Metrics.RecordRequest();

        if (JsonContentType.Check(context.Request) is { } mediaTypeError)
        {
            await RefuseAsync(context, surface, GatewayMetrics.None, StatusCodes.Status415UnsupportedMediaType, mediaTypeError);
            return;
        }

        var body = await RequestBody.ReadAsync(context.Request, options.MaxRequestBodyBytes, context.RequestAborted);
        if (body is null)
        {
            await RefuseAsync(
                context, surface, GatewayMetrics.None, StatusCodes.Status413PayloadTooLarge, ApiErrorKind.RequestTooLarge,
                $"The request body is larger than the gateway's limit of {options.MaxRequestBodyBytes} bytes.");
            return;
        }

        // Token usage only feeds metrics: with metrics off, requests go upstream untouched and responses unparsed.
        if (!LlmRequest.TryParse(body, surface, metrics.Enabled, options.MaxOutputTokens, out var request, out var error))
        {
            await RefuseAsync(context, surface, GatewayMetrics.None, StatusCodes.Status400BadRequest, error);
            return;
        }

        if (!models.TryFind(request.Model, out var route))
        {
            await RefuseAsync(
                context, surface, GatewayMetrics.None, StatusCodes.Status404NotFound, ApiErrorKind.ModelNotFound,
                $"The model '{EchoedText.Cut(request.Model)}' does not exist on this gateway; GET /v1/models lists the models it serves.");
            return;
        }

        if (route.Style != surface.Style)
        {
            var native = ApiSurface.DefaultFor(route.Style);
            await RefuseAsync(
                context, surface, route.Name, StatusCodes.Status400BadRequest, ApiErrorKind.InvalidRequest,
                $"The model '{route.Name}' is served through the {native.DisplayName} API; send the request to {native.Path}.");
            return;
        }

        try
        {
            await ForwardAsync(context, surface, request, route, account, started);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            metrics.RecordGatewayAnswer(surface, route.Name, StatusClientClosedRequest);
        }
    }

    private async Task ForwardAsync(HttpContext context, ApiSurface surface, LlmRequest request, ModelRoute route, Account account, long started)
    {
        UpstreamFailure? failure = null;
        var allUnavailable = true;
        for (var index = 0; index < route.Providers.Count; index++)
        {
            var provider = route.Providers[index];
            if (failure is not null)
            {
                var previous = route.Providers[index - 1].Name;
                metrics.RecordFailover(previous, provider.Name);
                LogFailover(logger, route.Name, previous, provider.Name, failure.Summary);
            }

            failure = await TryProviderAsync(context, surface, request, route, index, account, started);
            if (failure is null)
            {
                return;
            }

            metrics.RecordError(failure.ErrorType, provider.Name);
            allUnavailable &= failure.IsUnavailable;
        }

        var status = allUnavailable ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status502BadGateway;
        LogExhausted(logger, route.Name, status, failure!.Summary);
        metrics.RecordError(ErrorTypes.NoBackend, GatewayMetrics.None);
        metrics.RecordGatewayAnswer(surface, route.Name, status);
        await ApiErrors.WriteAsync(
            context,
            surface.Style,
            status,
            allUnavailable ? ApiErrorKind.UpstreamUnavailable : ApiErrorKind.UpstreamFailed,
            $"Every provider of model '{route.Name}' failed. Last error: {failure.Summary}.");
    }

    /// <summary>Tries one provider; null when it answered the client, otherwise why the next one must try.</summary>
    private async Task<UpstreamFailure?> TryProviderAsync(
        HttpContext context, ApiSurface surface, LlmRequest request, ModelRoute route, int index, Account account, long started)
    {
        var provider = route.Providers[index];
        var aborted = context.RequestAborted;
        using var message = UpstreamRequest.ForCompletion(provider, surface, request, context.Request);
        HttpResponseMessage response;
        try
        {
            response = await clients.CreateClient(provider.ClientName).SendAsync(message, HttpCompletionOption.ResponseHeadersRead, aborted);
        }
        catch (Exception exception) when (!aborted.IsCancellationRequested && UpstreamFailure.FromException(provider.Name, exception) is { } failure)
        {
            return failure;
        }

        using (response)
        {
            if (UpstreamFailure.FromStatus(provider.Name, response.StatusCode) is { } failure)
            {
                return failure;
            }

            TokenUsage usage;
            if (request.Stream && response.IsSuccessStatusCode && IsEventStream(response))
            {
                usage = await RelayStreamAsync(context, surface, route, index, response, started);
            }
            else if (await RelayBodyAsync(context, provider, response) is { } relayed)
            {
                usage = relayed;
            }
            else
            {
                return UpstreamFailure.BodyBroken(provider.Name);
            }

            var routeMetrics = route.Metrics[index];
            routeMetrics.RecordServed(surface, (int)response.StatusCode, Stopwatch.GetElapsedTime(started).TotalSeconds);
            routeMetrics.RecordTokens(usage.Prompt, usage.Completion);
            account.Metrics.RecordTokens(usage.Prompt, usage.Completion);
            return null;
        }
    }

    private async Task<TokenUsage> RelayStreamAsync(
        HttpContext context, ApiSurface surface, ModelRoute route, int index, HttpResponseMessage response, long started)
    {
        var provider = route.Providers[index];
        context.Response.Headers[ProviderHeader] = provider.Name;
        var outcome = await SseRelay.RelayAsync(
            context, response, surface, provider, route.Metrics[index], options.Resilience.ResponseIdleTimeout, metrics.Enabled, started);
        metrics.RecordStreamBytes(outcome.BytesIn, outcome.BytesOut);
        if (outcome.Failure is { } broken)
        {
            metrics.RecordError(broken.ErrorType, provider.Name);
            LogStreamBroken(logger, route.Name, provider.Name, broken.Summary);
        }

        return outcome.Usage;
    }

    /// <summary>Relays a complete response body; null when the provider broke off first, so the next one may try.</summary>
    private async Task<TokenUsage?> RelayBodyAsync(HttpContext context, Provider provider, HttpResponseMessage response)
    {
        var body = await ReadBodyAsync(response, provider, context.RequestAborted);
        if (body is null)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            // A 4xx that is no provider fault is its verdict on the request itself: relayed, not retried elsewhere.
            metrics.RecordError(ErrorTypes.BadRequest, provider.Name);
        }

        context.Response.StatusCode = (int)response.StatusCode;
        context.Response.Headers[ProviderHeader] = provider.Name;
        context.Response.ContentType = response.Content.Headers.ContentType?.ToString() ?? "application/json";
        context.Response.Headers[HeaderNames.CacheControl] = "no-store";
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
        return response.IsSuccessStatusCode && metrics.Enabled ? TokenUsage.FromBody(body) : default;
    }

    /// <summary>The whole body, or null when the provider broke off or went silent before it ended.</summary>
    private async Task<byte[]?> ReadBodyAsync(HttpResponseMessage response, Provider provider, CancellationToken aborted)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        timeout.CancelAfter(options.Resilience.ResponseIdleTimeout);
        try
        {
            return await response.Content.ReadAsByteArrayAsync(timeout.Token);
        }
        catch (Exception exception) when (exception is IOException or HttpRequestException or OperationCanceledException && !aborted.IsCancellationRequested)
        {
            LogBodyBroken(logger, provider.Name, exception.GetType().Name);
            return null;
        }
    }

    private static bool IsEventStream(HttpResponseMessage response) =>
        string.Equals(response.Content.Headers.ContentType?.MediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase);

    private Task RefuseAsync(HttpContext context, ApiSurface surface, string model, int status, ApiErrorKind kind, string message) =>
        RefuseAsync(context, surface, model, status, new RequestError(kind, message));

    private async Task RefuseAsync(HttpContext context, ApiSurface surface, string model, int status, RequestError error)
    {
        metrics.RecordError(ErrorTypes.BadRequest, GatewayMetrics.None);
        metrics.RecordGatewayAnswer(surface, model, status);
        await ApiErrors.WriteAsync(context, surface.Style, status, error);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model {Model}: failing over from {From} to {To} because {Reason}.")]
    private static partial void LogFailover(ILogger logger, string model, string from, string to, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Model {Model}: every provider failed, answering {Status}; last error: {Reason}.")]
    private static partial void LogExhausted(ILogger logger, string model, int status, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model {Model}: the stream from {Provider} broke off: {Reason}.")]
    private static partial void LogStreamBroken(ILogger logger, string model, string provider, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Provider {Provider}: the response body could not be read ({Error}).")]
    private static partial void LogBodyBroken(ILogger logger, string provider, string error);
}
