using Microsoft.AspNetCore.Http;

namespace Metrics.AspNetCore;

/// <summary>Serves a window of the sampler's points as JSON; a query it cannot answer gets a 400 with a JSON error.</summary>
internal sealed class HistoryEndpoint(MetricRegistry registry, MetricHistory history)
{
    public const string JsonContentType = "application/json; charset=utf-8";

    public Task HandleAsync(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        var query = HistoryQuery.Parse(context.Request.Query, registry, out var error);
        if (query is null)
        {
            return WriteErrorAsync(context, error!);
        }

        HistoryReading reading;
        try
        {
            reading = HistoryDocuments.ReadWindow(history, query);
        }
        catch (ArgumentException exception)
        {
            return WriteErrorAsync(context, HistoryQuery.Error(exception));
        }

        var document = HistoryDocuments.Create(reading, query.SelectorTexts, HistoryDocuments.HistoryType);
        return context.Response.WriteAsJsonAsync(document, LiveJsonContext.Default.HistoryDocument, JsonContentType, context.RequestAborted);
    }

    public static Task WriteErrorAsync(HttpContext context, HistoryError error)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        return context.Response.WriteAsJsonAsync(error, LiveJsonContext.Default.HistoryError, JsonContentType, context.RequestAborted);
    }
}
