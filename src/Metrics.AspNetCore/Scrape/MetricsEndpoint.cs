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
        var format = ExpositionNegotiation.Choose(request.Headers.Accept.ToString());
        var encoding = AcceptsGzip(request) ? ScrapeEncoding.Gzip : ScrapeEncoding.Identity;
        response.ContentType = MetricsExposition.ContentTypeOf(format);
        response.Headers.CacheControl = "no-store";
        response.Headers.Vary = "Accept, Accept-Encoding";
        if (encoding == ScrapeEncoding.Gzip)
        {
            response.Headers.ContentEncoding = "gzip";
        }

        if (HttpMethods.IsHead(request.Method))
        {
            return;
        }

        ScrapeResult result;
        try
        {
            result = await cache.RenderAsync(format, encoding, context.RequestAborted).ConfigureAwait(false);
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

    /// <summary>Whether <c>Accept-Encoding</c> allows gzip, directly or through <c>*</c>, with a non-zero quality.</summary>
    private static bool AcceptsGzip(HttpRequest request)
    {
        var wildcard = false;
        foreach (var coding in request.GetTypedHeaders().AcceptEncoding)
        {
            var allowed = coding.Quality is not 0;
            if (coding.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase))
            {
                return allowed;
            }

            if (coding.Value.Equals("*", StringComparison.Ordinal))
            {
                wildcard = allowed;
            }
        }

        return wildcard;
    }
}
