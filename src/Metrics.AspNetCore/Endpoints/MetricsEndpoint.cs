using System.IO.Compression;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Metrics.AspNetCore;

/// <summary>
/// Serves the registry in the format the scraper asks for, written straight into the response pipe, gzipped when
/// the scraper accepts it.
/// </summary>
internal sealed class MetricsEndpoint(MetricRegistry registry, ILogger logger)
{
    private const string FailureMessage = "The metrics exposition failed; the error is in the server log.\n";

    private static readonly Action<ILogger, Exception?> LogWriteFailure = LoggerMessage.Define(
        LogLevel.Error, new EventId(1, "MetricsExpositionFailed"), "Writing the metrics exposition failed.");

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var format = ExpositionNegotiation.Choose(request.Headers.Accept.ToString());
        var gzip = AcceptsGzip(request);
        response.ContentType = MetricsExposition.ContentTypeOf(format);
        response.Headers.CacheControl = "no-store";
        response.Headers.Vary = "Accept, Accept-Encoding";
        if (gzip)
        {
            response.Headers.ContentEncoding = "gzip";
        }

        if (HttpMethods.IsHead(request.Method))
        {
            return;
        }

        try
        {
            await WriteAsync(response, format, gzip, context.RequestAborted).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Whatever broke the writer, the scraper must get a clear failure, not a truncated scrape.
        catch (Exception exception) when (!context.RequestAborted.IsCancellationRequested)
#pragma warning restore CA1031
        {
            LogWriteFailure(logger, exception);
            await FailAsync(context).ConfigureAwait(false);
        }
    }

    private async Task WriteAsync(HttpResponse response, ExpositionFormat format, bool gzip, CancellationToken cancellationToken)
    {
        if (!gzip)
        {
            MetricsExposition.Write(registry, format, response.BodyWriter);
            await response.BodyWriter.FlushAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        // The exposition is rendered into the pipe's buffers before any byte reaches the compressor, so a failure
        // while rendering leaves the response untouched and still able to become a 500. Only asynchronous writes reach
        // the response: Kestrel forbids synchronous I/O.
        var compressor = new GZipStream(response.Body, CompressionLevel.Fastest, leaveOpen: true);
        await using (compressor.ConfigureAwait(false))
        {
            var writer = PipeWriter.Create(compressor, new StreamPipeWriterOptions(leaveOpen: true));
            try
            {
                MetricsExposition.Write(registry, format, writer);
            }
            catch (Exception exception)
            {
                // Completing with the exception returns the buffers without writing them.
                writer.Complete(exception);
                throw;
            }

            await writer.CompleteAsync().ConfigureAwait(false);
        }
    }

    // Once the status line is out, a 500 can no longer be sent: aborting makes the scrape fail visibly rather than
    // end early and look complete.
    private static async Task FailAsync(HttpContext context)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            context.Abort();
            return;
        }

        response.Clear();
        response.StatusCode = StatusCodes.Status500InternalServerError;
        response.ContentType = "text/plain; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        await response.WriteAsync(FailureMessage, context.RequestAborted).ConfigureAwait(false);
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
