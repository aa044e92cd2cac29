using Microsoft.AspNetCore.Http;

namespace Metrics.AspNetCore;

/// <summary>
/// The start shared by the SSE and WebSocket endpoints: bound and parse the query, take one of the client places,
/// and read the first message; or answer 414, 400 or 503 with a JSON error.
/// </summary>
internal sealed class LiveRequests(MetricRegistry registry, LiveUpdateHub hub, PrometheusMetricsOptions options)
{
    /// <summary>Seconds a client turned away for want of a place is asked to wait before it tries again.</summary>
    private const string RetryAfterSeconds = "10";

    public LiveUpdateHub Hub => hub;

    /// <summary>The subscription and its first message, or null after writing the error answer.</summary>
    public async Task<(LiveSubscription Subscription, LiveMessage First)?> StartAsync(HttpContext context)
    {
        if (QueryLength.RejectIfLonger(context, options.QueryLengthLimit) is { } rejected)
        {
            await rejected.ConfigureAwait(false);
            return null;
        }

        var query = HistoryQuery.Parse(context.Request.Query, registry, options.QuerySelectorLimit, out var error);
        if (query is null)
        {
            await EndpointErrors.WriteAsync(context, StatusCodes.Status400BadRequest, error!.Error, error.Message).ConfigureAwait(false);
            return null;
        }

        if (hub.TrySubscribe(query, context.RequestAborted) is not { } subscription)
        {
            context.Response.Headers.RetryAfter = RetryAfterSeconds;
            await EndpointErrors.WriteAsync(
                context,
                StatusCodes.Status503ServiceUnavailable,
                "too_many_clients",
                $"The server already serves {options.LiveClientLimit} live clients, the most it allows; try again later.").ConfigureAwait(false);
            return null;
        }

        try
        {
            return (subscription, hub.WindowFor(query));
        }
        catch (ArgumentException exception)
        {
            subscription.Dispose();
            var invalid = HistoryQuery.Invalid(exception);
            await EndpointErrors.WriteAsync(context, StatusCodes.Status400BadRequest, invalid.Error, invalid.Message).ConfigureAwait(false);
            return null;
        }
    }
}
