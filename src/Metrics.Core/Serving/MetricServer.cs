using System.Net;
using System.Text;

namespace Metrics;

/// <summary>
/// Serves a registry's scrape endpoint from a process without ASP.NET Core (a console app, a worker service), with the
/// same negotiation, gzip, <c>HEAD</c> and 405 rules as the ASP.NET Core endpoint (see <see cref="ScrapeRequest"/>) and
/// the same sharing of collections between scrapes (see <see cref="ScrapeCache"/>).
/// </summary>
/// <remarks>
/// It lives in <c>Metrics.Core</c> on <see cref="HttpListener"/>, part of .NET itself, so a process that only needs
/// <c>/metrics</c> takes no dependency and stays trim- and AOT-clean. Kestrel serves more scrapes per second, but one
/// Prometheus scrapes a few times a minute; an application that already hosts ASP.NET Core should map the adapter's
/// endpoint on its own server instead. Stopping waits for the scrapes in progress, then releases the port.
/// </remarks>
public sealed class MetricServer : IAsyncDisposable, IDisposable
{
    private static readonly byte[] NotFoundBody = ErrorBody("not_found", "This server answers the metrics path only.");
    private static readonly byte[] MethodNotAllowedBody = ErrorBody("method_not_allowed", "This endpoint answers GET and HEAD only.");
    private static readonly byte[] ExpositionFailedBody = ErrorBody("exposition_failed", "Rendering the metrics failed.");

    private readonly HttpListener _listener;
    private readonly ScrapeCache _cache;
    private readonly string _path;
    private readonly Action<Exception>? _onError;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _accepting;
    private int _inFlight;
    private volatile bool _stopping;
    private int _stopped;

    private MetricServer(HttpListener listener, ScrapeCache cache, Uri url, Action<Exception>? onError)
    {
        _listener = listener;
        _cache = cache;
        Url = url;
        _path = url.AbsolutePath;
        _onError = onError;
        _accepting = AcceptAsync();
    }

    /// <summary>The address and path served.</summary>
    public Uri Url { get; }

    /// <summary>Starts serving <paramref name="registry"/>; the port is bound when this returns.</summary>
    /// <param name="registry">The registry to expose.</param>
    /// <param name="options">The address and scrape sharing; the defaults of <see cref="MetricServerOptions"/> when null.</param>
    /// <returns>The running server; dispose it, or call <see cref="StopAsync"/>, to stop.</returns>
    /// <exception cref="ArgumentException">The URL is not an absolute <c>http</c> URL with an explicit, non-zero port.</exception>
    /// <exception cref="HttpListenerException">The address cannot be bound, for example because the port is taken.</exception>
    public static MetricServer Start(MetricRegistry registry, MetricServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        options ??= new MetricServerOptions();
        return Start(new ScrapeCache(registry, options.Scrape), options);
    }

    /// <summary>Starts serving the scrapes of <paramref name="cache"/>, which decides what a scrape holds.</summary>
    internal static MetricServer Start(ScrapeCache cache, MetricServerOptions options)
    {
        var url = ParseUrl(options.Url);
        var listener = new HttpListener { IgnoreWriteExceptions = false };
        listener.Prefixes.Add($"{url.Scheme}://{PrefixHost(options.Url, url)}:{url.Port}/");
        try
        {
            listener.Start();
        }
        catch
        {
            listener.Close();
            throw;
        }

        return new MetricServer(listener, cache, url, options.OnError);
    }

    /// <summary>
    /// Stops accepting scrapes, waits for those in progress to be answered (until <paramref name="cancellationToken"/>
    /// is cancelled), then releases the port. Calling it again does nothing.
    /// </summary>
    /// <param name="cancellationToken">Cuts the wait for scrapes in progress short; they are then aborted.</param>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            await _accepting.ConfigureAwait(false);
            return;
        }

        _stopping = true;
        try
        {
            if (Volatile.Read(ref _inFlight) > 0)
            {
                await _drained.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _listener.Close();
            await _accepting.ConfigureAwait(false);
        }
    }

    /// <summary>Stops the server as <see cref="StopAsync"/> does, without a time limit.</summary>
    public ValueTask DisposeAsync() => new(StopAsync());

    /// <summary>Stops the server as <see cref="StopAsync"/> does, without a time limit, blocking until it has.</summary>
    public void Dispose() => StopAsync().GetAwaiter().GetResult();

    private static Uri ParseUrl(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ArgumentException("The metric server's URL is empty; give one such as 'http://127.0.0.1:9464/metrics'.", nameof(text));
        }

        // '+' and '*' are HttpListener's hosts for every interface; Uri reads them only once they stand for a name.
        var parsable = text.Replace("://+", "://any-interface", StringComparison.Ordinal).Replace("://*", "://any-interface", StringComparison.Ordinal);
        if (!Uri.TryCreate(parsable, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttp)
        {
            throw new ArgumentException($"The metric server's URL '{text}' is not an absolute http URL such as 'http://127.0.0.1:9464/metrics'.", nameof(text));
        }

        if (url.Port == 0)
        {
            throw new ArgumentException($"The metric server's URL '{text}' has port 0; HttpListener needs the port to listen on.", nameof(text));
        }

        if (!string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment))
        {
            throw new ArgumentException($"The metric server's URL '{text}' must not have a query or a fragment.", nameof(text));
        }

        return url;
    }

    private static string PrefixHost(string text, Uri url) =>
        text.Contains("://+", StringComparison.Ordinal) ? "+" : text.Contains("://*", StringComparison.Ordinal) ? "*" : url.Host;

    private static byte[] ErrorBody(string code, string message) => Encoding.UTF8.GetBytes($$"""{"error":"{{code}}","message":"{{message}}"}""");

    private async Task AcceptAsync()
    {
        while (!_stopping)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception) when (_stopping)
            {
                return;
            }
#pragma warning disable CA1031 // A listener fault must not end the accept loop silently; it is reported and the loop goes on.
            catch (Exception exception) when (exception is HttpListenerException or InvalidOperationException)
#pragma warning restore CA1031
            {
                Report(exception);
                continue;
            }

            Interlocked.Increment(ref _inFlight);
            _ = ServeAsync(context);
        }
    }

    private async Task ServeAsync(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            await AnswerAsync(context.Request, response).ConfigureAwait(false);
            response.Close();
        }
        catch (HttpListenerException)
        {
            // The scraper left before its answer was sent: its fault, not the server's.
            response.Abort();
        }
        catch (ObjectDisposedException)
        {
            response.Abort();
        }
#pragma warning disable CA1031 // A failed scrape must cut the connection, never leave the scraper waiting or end the process.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            response.Abort();
            Report(exception);
        }
        finally
        {
            if (Interlocked.Decrement(ref _inFlight) == 0 && _stopping)
            {
                _drained.TrySetResult();
            }
        }
    }

    private async Task AnswerAsync(HttpListenerRequest request, HttpListenerResponse response)
    {
        response.Headers[HttpResponseHeader.CacheControl] = ScrapeRequest.CacheControl;
        if (!string.Equals(request.Url?.AbsolutePath, _path, StringComparison.Ordinal))
        {
            await WriteErrorAsync(response, 404, NotFoundBody).ConfigureAwait(false);
            return;
        }

        var scrape = ScrapeRequest.Read(request.HttpMethod, request.Headers["Accept"], request.Headers["Accept-Encoding"]);
        if (!scrape.IsAllowed)
        {
            response.Headers[HttpResponseHeader.Allow] = ScrapeRequest.AllowedMethods;
            await WriteErrorAsync(response, 405, MethodNotAllowedBody).ConfigureAwait(false);
            return;
        }

        response.ContentType = scrape.ContentType;
        response.Headers[HttpResponseHeader.Vary] = ScrapeRequest.Vary;
        if (scrape.ContentEncoding is { } contentEncoding)
        {
            response.Headers[HttpResponseHeader.ContentEncoding] = contentEncoding;
        }

        if (scrape.IsHead)
        {
            return;
        }

        ScrapeResult result;
        try
        {
            result = await _cache.RenderAsync(scrape.Format, scrape.Encoding).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Whatever broke the collection, the scraper gets a clear 500, and the caller hears of it.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            // Reported before the answer, so that whoever sees the 500 can already find its cause.
            Report(exception);
            response.Headers.Remove(HttpResponseHeader.ContentEncoding);
            await WriteErrorAsync(response, 500, ExpositionFailedBody).ConfigureAwait(false);
            return;
        }

        using (result)
        {
            response.ContentLength64 = result.Content.Length;
            await response.OutputStream.WriteAsync(result.Content).ConfigureAwait(false);
        }
    }

    private static async Task WriteErrorAsync(HttpListenerResponse response, int status, byte[] body)
    {
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength64 = body.Length;
        await response.OutputStream.WriteAsync(body).ConfigureAwait(false);
    }

    private void Report(Exception exception)
    {
        try
        {
            _onError?.Invoke(exception);
        }
#pragma warning disable CA1031 // The caller's handler must not break the server it observes.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
