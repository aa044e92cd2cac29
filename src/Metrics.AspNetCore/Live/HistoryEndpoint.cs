using Microsoft.AspNetCore.Http;

namespace Metrics.AspNetCore;

/// <summary>Serves a window of the sampler's points as JSON; a query it cannot answer gets a 4xx with a JSON error.</summary>
internal sealed class HistoryEndpoint(MetricRegistry registry, MetricHistory history, PrometheusMetricsOptions options)
{
    public Task HandleAsync(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (QueryLength.RejectIfLonger(context, options.QueryLengthLimit) is { } rejected)
        {
            return rejected;
        }

        var query = HistoryQuery.Parse(context.Request.Query, registry, options.QuerySelectorLimit, out var error);
        if (query is null)
        {
            return EndpointErrors.WriteAsync(context, StatusCodes.Status400BadRequest, error!.Error, error.Message);
        }

        HistoryReading reading;
        try
        {
            reading = HistoryDocuments.ReadWindow(history, query);
        }
        catch (ArgumentException exception)
        {
            var invalid = HistoryQuery.Invalid(exception);
            return EndpointErrors.WriteAsync(context, StatusCodes.Status400BadRequest, invalid.Error, invalid.Message);
        }

        var document = HistoryDocuments.Create(reading, history.Quantiles, query.SelectorTexts, HistoryDocuments.HistoryType);
        return context.Response.WriteAsJsonAsync(document, MetricsJsonContext.Default.HistoryDocument, EndpointErrors.JsonContentType, context.RequestAborted);
    }
}
