using Microsoft.AspNetCore.Http;

namespace Metrics.AspNetCore;

/// <summary>The start shared by the SSE and WebSocket endpoints: parse the query and subscribe, or answer 400.</summary>
internal static class LiveRequests
{
    /// <summary>The subscription, or null after writing a 400 with the reason.</summary>
    public static async Task<LiveSubscription?> SubscribeAsync(HttpContext context, MetricRegistry registry, LiveUpdateHub hub)
    {
        var query = HistoryQuery.Parse(context.Request.Query, registry, out var error);
        if (query is not null)
        {
            try
            {
                return hub.Subscribe(query, context.RequestAborted);
            }
            catch (ArgumentException exception)
            {
                error = HistoryQuery.Error(exception);
            }
        }

        await HistoryEndpoint.WriteErrorAsync(context, error!).ConfigureAwait(false);
        return null;
    }
}
