using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Metrics.AspNetCore;

/// <summary>
/// Serves the registry in the format the scraper asks for, gzipped when the scraper accepts it. The bytes come from
/// the <see cref="ScrapeCache"/>, so scrapes that arrive together share one collection and one compression.
/// </summary>
internal sealed class MetricsEndpoint(ScrapeCache cache, ILogger logger)
{
    public static readonly string[] Methods = [HttpMethods.Get, HttpMethods.Head];

    private static readonly Action<ILogger, Exception?> LogRenderFailure = LoggerMessage.Define(
        LogLevel.Error, new EventId(1, "MetricsExpositionFailed"), "Rendering the metrics exposition failed.");

    private static readonly Action<ILogger, Exception?> LogWriteFailure = LoggerMessage.Define(
        LogLevel.Error, new EventId(2, "MetricsResponseFailed"), "Writing the metrics response failed.");

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var scrape = ScrapeRequest.Read(request.Method, request.Headers.Accept.ToString(), request.Headers.AcceptEncoding.ToString());
        response.ContentType = scrape.ContentType;
        response.Headers.CacheControl = ScrapeRequest.CacheControl;
        response.Headers.Vary = ScrapeRequest.Vary;
        if (scrape.ContentEncoding is { } contentEncoding)
        {
            response.Headers.ContentEncoding = contentEncoding;
        }

        if (scrape.IsHead)
        {
            return;
        }

        ScrapeResult result;
        try
        {
            result = await cache.RenderAsync(scrape.Format, scrape.Encoding, context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
#pragma warning disable CA1031 // Whatever broke the collection, every scraper that waited for it must get a clear 500, not a hang.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogRenderFailure(logger, exception);
            response.Clear();
            await EndpointErrors.WriteAsync(
                context, StatusCodes.Status500InternalServerError, "exposition_failed", "Rendering the metrics failed; the error is in the server log.").ConfigureAwait(false);
            return;
        }

        using (result)
        {
            response.ContentLength = result.Content.Length;
            try
            {
                await response.BodyWriter.WriteAsync(result.Content, context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
            }
#pragma warning disable CA1031 // A broken response must end as a failure the scraper sees, never as a short scrape that looks complete.
            catch (Exception exception) when (!context.RequestAborted.IsCancellationRequested)
#pragma warning restore CA1031
            {
                LogWriteFailure(logger, exception);
                await FailAsync(context).ConfigureAwait(false);
            }
        }
    }

    // Once the status line is out, a 500 can no longer be sent: aborting makes the scrape fail visibly.
    private static Task FailAsync(HttpContext context)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            context.Abort();
            return Task.CompletedTask;
        }

        response.Clear();
        return EndpointErrors.WriteAsync(
            context, StatusCodes.Status500InternalServerError, "exposition_failed", "Sending the metrics failed; the error is in the server log.");
    }
}
