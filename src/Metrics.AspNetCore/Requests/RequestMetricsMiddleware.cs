using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Metrics.AspNetCore;

/// <summary>
/// Records every request that reaches it: count and duration by route, method and status, in-flight requests, and
/// body bytes by route. A handler that throws is recorded as 500 and the exception propagates. A client's fault is
/// recorded as the client's: a request whose client went away as
/// <see cref="PrometheusMetricsOptions.ClientClosedRequestStatus"/>, and a body the server refused (too slow, 408; too
/// large, 413) as that status; those end here, logged at Debug, so a client can neither raise the 5xx rate nor fill the
/// error log.
/// </summary>
/// <remarks>
/// The route is read when the request completes, so the middleware may sit before or after <c>UseRouting</c>. When
/// the endpoint is already known on entry, an excluded endpoint (the metrics endpoint) is not even counted in flight.
/// </remarks>
internal sealed class RequestMetricsMiddleware(RequestDelegate next, HttpRequestMetrics metrics, ILogger logger)
{
    // How long a failed body read may wait for the abort that explains it; a body that is merely malformed is answered that much later.
    private static readonly TimeSpan AbortGrace = TimeSpan.FromMilliseconds(100);

    private static readonly Action<ILogger, int, Exception?> LogClientFault = LoggerMessage.Define<int>(
        LogLevel.Debug, new EventId(1, "ClientFault"), "The request ended by the client's fault and is recorded as {Status}.");

    // Hot path: allocates nothing of its own; a handler that completes synchronously costs no state machine either.
    public Task InvokeAsync(HttpContext context)
    {
        if (metrics.IsExcludedPath(context.Request.Path) || (context.GetEndpoint() is { } endpoint && metrics.RouteOf(endpoint) is null))
        {
            return next(context);
        }

        var counters = ConnectionBodyCounters.Claim(context);
        counters.Attach(context);
        counters.StartTimestamp = Stopwatch.GetTimestamp();
        metrics.InFlight.Inc();
        Task pending;
        try
        {
            pending = next(context);
        }
        catch (Exception exception)
        {
            return FailAsync(context, counters, ExceptionDispatchInfo.Capture(exception));
        }

        if (pending.IsCompletedSuccessfully)
        {
            Complete(context, counters, failure: null);
            return Task.CompletedTask;
        }

        return AwaitRequest(pending, context, counters);
    }

    /// <summary>The status a client's fault gets recorded as, or null when <paramref name="failure"/> is the server's own.</summary>
    private static int? ClientFaultStatus(HttpContext context, Exception failure)
    {
        // Kestrel's refusals of the body: it timed the client out, or the client sent more than allowed.
        if (failure is BadHttpRequestException { StatusCode: StatusCodes.Status408RequestTimeout or StatusCodes.Status413PayloadTooLarge } refused)
        {
            return refused.StatusCode;
        }

        // A client that hangs up mid-body shows as a reset or as a body that ended early; one that leaves mid-response
        // as a cancelled or failed write.
        if (failure is ConnectionResetException
            || (context.RequestAborted.IsCancellationRequested && failure is BadHttpRequestException or OperationCanceledException or IOException))
        {
            return PrometheusMetricsOptions.ClientClosedRequestStatus;
        }

        return failure is BadHttpRequestException malformed ? malformed.StatusCode : null;
    }

    /// <summary>
    /// Whether <paramref name="failure"/> may be a client that just went away: Kestrel signals the abort from the thread
    /// pool, so the body read can fail a moment before <see cref="HttpContext.RequestAborted"/> says why.
    /// </summary>
    private static bool MayPrecedeAbort(HttpContext context, Exception failure) =>
        !context.RequestAborted.IsCancellationRequested && failure is BadHttpRequestException { StatusCode: StatusCodes.Status400BadRequest } or IOException;

    private static async Task WaitForAbortAsync(CancellationToken aborted)
    {
        try
        {
            await Task.Delay(AbortGrace, aborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    // The start time travels in the counters, so this state machine, the one allocation of an asynchronous request,
    // is no larger than it has to be.
    private async Task AwaitRequest(Task pending, HttpContext context, BodyByteCounters counters)
    {
        ExceptionDispatchInfo? failure = null;
        try
        {
            await pending.ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            failure = ExceptionDispatchInfo.Capture(exception);
        }

        if (failure is null)
        {
            Complete(context, counters, failure: null);
            return;
        }

        await FailAsync(context, counters, failure).ConfigureAwait(false);
    }

    // Not the hot path: only requests that failed come here. A client's fault ends here; the server's own propagates.
    private async Task FailAsync(HttpContext context, BodyByteCounters counters, ExceptionDispatchInfo failure)
    {
        if (MayPrecedeAbort(context, failure.SourceException))
        {
            await WaitForAbortAsync(context.RequestAborted).ConfigureAwait(false);
        }

        if (!Complete(context, counters, failure.SourceException))
        {
            failure.Throw();
        }
    }

    /// <summary>Records the request; true when <paramref name="failure"/> was the client's fault and ends here.</summary>
    private bool Complete(HttpContext context, BodyByteCounters counters, Exception? failure)
    {
        var seconds = (Stopwatch.GetTimestamp() - counters.StartTimestamp) / (double)Stopwatch.Frequency;
        counters.Detach(context);
        var clientFault = failure is null ? null : ClientFaultStatus(context, failure);
        try
        {
            if (clientFault is { } faultStatus)
            {
                LogClientFault(logger, faultStatus, failure);
                if (!context.Response.HasStarted && faultStatus != PrometheusMetricsOptions.ClientClosedRequestStatus)
                {
                    context.Response.StatusCode = faultStatus;
                }
            }

            var route = metrics.RouteOf(context.GetEndpoint());
            if (route is null)
            {
                return clientFault is not null;
            }

            var status = clientFault
                ?? (context.RequestAborted.IsCancellationRequested ? PrometheusMetricsOptions.ClientClosedRequestStatus
                : failure is not null ? StatusCodes.Status500InternalServerError
                : context.Response.StatusCode);
            var series = route.For(HttpMethodLabel.IndexOf(context.Request.Method), status);
            series.Requests.Inc();
            series.ObserveDuration(seconds);
            // Most requests have no body: skipping zero spares an atomic add on a cache line every core shares.
            if (counters.RequestBytes > 0)
            {
                route.RequestBodyBytes.Inc(counters.RequestBytes);
            }

            if (counters.ResponseBytes > 0)
            {
                route.ResponseBodyBytes.Inc(counters.ResponseBytes);
            }

            return clientFault is not null;
        }
        finally
        {
            counters.Release();
            metrics.InFlight.Dec();
        }
    }
}
