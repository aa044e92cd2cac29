using System.Diagnostics;
using System.Text.Json;
using Gateway.Accounts;
using Gateway.Configuration;
using Gateway.Endpoints;
using Gateway.Streaming;
using Gateway.Surfaces;
using Gateway.Telemetry;
using Gateway.Translation;
using Microsoft.Net.Http.Headers;

namespace Gateway.Routing;

/// <summary>
/// Serves one LLM request: reads and checks it, then walks the model's provider chain. Each provider's
/// <c>HttpClient</c> carries its own Polly retries and circuit breaker; when a provider still fails with a fault of
/// its own (429, 5xx, timeout, connection, refused credentials, open circuit) the next one takes over, which is
/// failover. A malformed request is refused here, before any provider sees it. A provider that speaks another API
/// than the client is sent a translated request, and its answer (an error about the request included) is translated back.
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

    /// <summary>The status recorded for a client that went away before its answer ended.</summary>
    public const int StatusClientClosedRequest = 499;

    /// <summary>Anthropic's status for an API that is overloaded, which its SDKs map to their own exception.</summary>
    public const int StatusOverloaded = 529;

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

        Exchange(context)?.Model = route.Name;
        try
        {
            await ForwardAsync(context, surface, request, route, account, started);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            Exchange(context)?.Status = StatusClientClosedRequest;
            metrics.RecordGatewayAnswer(surface, route.Name, StatusClientClosedRequest);
        }
    }

    private static ApiExchange? Exchange(HttpContext context) => context.Features.Get<ApiExchange>();

    private async Task ForwardAsync(HttpContext context, ApiSurface surface, LlmRequest request, ModelRoute route, Account account, long started)
    {
        UpstreamFailure? failure = null;
        var allUnavailable = true;
        var calls = new UpstreamCall?[route.Providers.Count];
        for (var index = 0; index < route.Providers.Count; index++)
        {
            var provider = route.Providers[index];
            if (!TryPrepare(request, surface, route, index, calls, out var call, out var untranslatable))
            {
                if (failure is null)
                {
                    await RefuseAsync(
                        context, surface, route.Name, StatusCodes.Status400BadRequest, new RequestError(ApiErrorKind.Untranslatable, untranslatable.Message, untranslatable.Field));
                    return;
                }

                // The chain cannot go on: this provider cannot be sent the request, and the client hears why the last one failed.
                LogUntranslatable(logger, route.Name, provider.Name, untranslatable.Message);
                break;
            }

            if (failure is not null)
            {
                var previous = route.Providers[index - 1].Name;
                metrics.RecordFailover(previous, provider.Name);
                LogFailover(logger, route.Name, previous, provider.Name, failure.Summary);
            }

            failure = await TryProviderAsync(context, surface, request, route, index, call, account, started);
            if (failure is null)
            {
                return;
            }

            metrics.RecordError(failure.ErrorType, provider.Name);
            allUnavailable &= failure.IsUnavailable;
        }

        var status = !allUnavailable ? StatusCodes.Status502BadGateway
            : surface.Style == ProviderStyle.Anthropic ? StatusOverloaded
            : StatusCodes.Status503ServiceUnavailable;
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

    // A request is prepared once per provider API and model name: providers that share both share the call.
    private bool TryPrepare(
        LlmRequest request, ApiSurface surface, ModelRoute route, int index, UpstreamCall?[] calls, out UpstreamCall call, out UntranslatableFieldException untranslatable)
    {
        var style = route.Providers[index].Style;
        var model = route.UpstreamModels[index];
        var translatedBefore = false;
        untranslatable = null!;
        for (var earlier = 0; earlier < index; earlier++)
        {
            if (calls[earlier] is not { } prepared || route.Providers[earlier].Style != style)
            {
                continue;
            }

            translatedBefore |= prepared.Translation is not null;
            if (route.UpstreamModels[earlier] == model)
            {
                call = calls[index] = prepared;
                return true;
            }
        }

        try
        {
            call = calls[index] = UpstreamCall.For(request, surface, style, model, options.MaxOutputTokens);
        }
        catch (UntranslatableFieldException exception)
        {
            call = null!;
            untranslatable = exception;
            return false;
        }

        if (call.Translation is not null && !translatedBefore)
        {
            metrics.RecordTranslation(surface, style);
        }

        return true;
    }

    /// <summary>Tries one provider; null when it answered the client, otherwise why the next one must try.</summary>
    private async Task<UpstreamFailure?> TryProviderAsync(
        HttpContext context, ApiSurface surface, LlmRequest request, ModelRoute route, int index, UpstreamCall call, Account account, long started)
    {
        var provider = route.Providers[index];
        var aborted = context.RequestAborted;
        using var message = UpstreamRequest.ForCompletion(provider, call, request.Stream, context.Request);
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

            var exchange = Exchange(context);
            if (RequestIds.Of(response, provider.Style) is { } providerRequestId)
            {
                exchange?.UseProviderRequestId(context, providerRequestId);
            }

            TokenUsage usage;
            if (request.Stream && response.IsSuccessStatusCode && IsEventStream(response))
            {
                usage = await RelayStreamAsync(context, surface, request, route, index, call, response, started);
            }
            else
            {
                var relayed = await RelayBodyAsync(context, surface, provider, response, call);
                if (relayed.Failure is { } bodyFailure)
                {
                    return bodyFailure;
                }

                usage = relayed.Usage;
            }

            // A client that left before its answer ended is recorded as 499 everywhere, with only the usage it was sent.
            var status = aborted.IsCancellationRequested ? StatusClientClosedRequest : (int)response.StatusCode;
            exchange?.Provider = provider.Name;
            exchange?.Status = status;
            var routeMetrics = route.Metrics[index];
            routeMetrics.RecordServed(surface, status, Stopwatch.GetElapsedTime(started).TotalSeconds);
            routeMetrics.RecordTokens(usage.Prompt, usage.Completion);
            account.Metrics.RecordTokens(usage.Prompt, usage.Completion);
            return null;
        }
    }

    private async Task<TokenUsage> RelayStreamAsync(
        HttpContext context, ApiSurface surface, LlmRequest request, ModelRoute route, int index, UpstreamCall call, HttpResponseMessage response, long started)
    {
        var provider = route.Providers[index];
        context.Response.Headers[ProviderHeader] = provider.Name;
        using var transform = call.Translation is { } translation ? ResponseTranslation.CreateStream(translation)
            : request.AddedStreamUsage ? new UsageChunkFilter()
            : null;
        var outcome = await SseRelay.RelayAsync(
            context, response, surface, provider, route.Metrics[index], options.Resilience.ResponseIdleTimeout, metrics.Enabled, started, transform);
        metrics.RecordStreamBytes(outcome.BytesIn, outcome.BytesOut);
        if (outcome.Failure is { } broken)
        {
            metrics.RecordError(broken.ErrorType, provider.Name);
            LogStreamBroken(logger, route.Name, provider.Name, broken.Summary);
        }

        return outcome.Usage;
    }

    /// <summary>Relays a complete response body, or says why the next provider must try: it broke off, or its answer does not translate.</summary>
    private async Task<(TokenUsage Usage, UpstreamFailure? Failure)> RelayBodyAsync(
        HttpContext context, ApiSurface surface, Provider provider, HttpResponseMessage response, UpstreamCall call)
    {
        var body = await ReadBodyAsync(response, provider, context.RequestAborted);
        if (body is null)
        {
            return (default, UpstreamFailure.BodyBroken(provider.Name));
        }

        var status = (int)response.StatusCode;
        if (!response.IsSuccessStatusCode)
        {
            // A 4xx that is no provider fault is its verdict on the request itself: relayed, not retried elsewhere.
            metrics.RecordError(ErrorTypes.BadRequest, provider.Name);
        }

        var relayed = body;
        if (call.Translation is { } translation)
        {
            try
            {
                relayed = response.IsSuccessStatusCode ? ResponseTranslation.TranslateBody(translation, body) : ErrorTranslation.TranslateBody(status, body, surface.Style);
            }
            catch (Exception exception) when (exception is InvalidDataException or InvalidOperationException or FormatException or JsonException)
            {
                LogUntranslatableAnswer(logger, provider.Name, exception.Message);
                return (default, UpstreamFailure.BadResponse(provider.Name));
            }
        }

        context.Response.StatusCode = status;
        context.Response.Headers[ProviderHeader] = provider.Name;
        context.Response.ContentType = call.Translation is null ? response.Content.Headers.ContentType?.ToString() ?? "application/json" : "application/json";
        context.Response.Headers[HeaderNames.CacheControl] = "no-store";
        await context.Response.Body.WriteAsync(relayed, context.RequestAborted);
        return (response.IsSuccessStatusCode && metrics.Enabled ? TokenUsage.FromBody(body) : default, null);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model {Model}: provider {Provider} cannot take over, the request does not translate to its API: {Reason}")]
    private static partial void LogUntranslatable(ILogger logger, string model, string provider, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Provider {Provider}: its answer could not be translated for the client ({Reason}).")]
    private static partial void LogUntranslatableAnswer(ILogger logger, string provider, string reason);
}
