using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Metrics.AspNetCore;

/// <summary>
/// Counts one request's body bytes: it stands in for the server's response body feature and request body pipe
/// feature, and for the request body stream, forwarding everything to them. Both the stream and pipe sides are
/// counted, because the application may use either; each forwards to the server's own object, never to the other,
/// so no byte is counted twice.
/// </summary>
/// <remarks>
/// An instance is reused by the requests of one connection, one after another, as Kestrel reuses its own body
/// streams, so a keep-alive request costs no allocation; it never serves another connection, so body objects a
/// request kept past its end can never reach another client's bytes. Detached, they throw
/// <see cref="ObjectDisposedException"/>.
/// </remarks>
#pragma warning disable CA1001 // The counting streams hold nothing to release; the streams they wrap belong to the server.
internal sealed class BodyByteCounters : IHttpResponseBodyFeature, IRequestBodyPipeFeature
#pragma warning restore CA1001
{
    private readonly CountingStream _requestStream = new();
    private readonly CountingPipeReader _requestReader = new();
    private readonly CountingStream _responseStream = new();
    private readonly CountingPipeWriter _responseWriter = new();

    private IHttpResponseBodyFeature? _responseFeature;
    private IRequestBodyPipeFeature? _requestPipeFeature;
    private Stream? _requestBody;
    private PipeReader? _serverReader;
    private PipeReader? _ownedReader;
    private bool _countsRequest;
    private long _sentFileBytes;
    private int _inUse;

    /// <summary>When the request began, as a <see cref="System.Diagnostics.Stopwatch"/> timestamp.</summary>
    public long StartTimestamp { get; set; }

    /// <summary>Request body bytes the application read, through either the stream or the pipe.</summary>
    public long RequestBytes => _requestStream.BytesRead + _requestReader.BytesConsumed;

    /// <summary>Response body bytes the application wrote, through the stream, the pipe or a sent file.</summary>
    public long ResponseBytes => _responseStream.BytesWritten + _responseWriter.BytesWritten + _sentFileBytes;

    Stream IHttpResponseBodyFeature.Stream =>
        _responseStream.IsAttached ? _responseStream : _responseStream.Attach(ResponseFeature.Stream);

    // Attached on first use: asking a stream-based feature for its writer builds one, which most requests never need.
    PipeWriter IHttpResponseBodyFeature.Writer =>
        _responseWriter.IsAttached ? _responseWriter : _responseWriter.Attach(ResponseFeature.Writer);

    PipeReader IRequestBodyPipeFeature.Reader =>
        _requestReader.IsAttached ? _requestReader : _requestReader.Attach(_serverReader ?? CreateOwnedReader());

    private IHttpResponseBodyFeature ResponseFeature =>
        _responseFeature ?? throw new ObjectDisposedException(nameof(BodyByteCounters), "The request has completed; its body can no longer be used.");

    /// <summary>Takes the counters for one request; false while another request (an HTTP/2 stream of the same connection) has them.</summary>
    public bool TryClaim() => Interlocked.Exchange(ref _inUse, 1) == 0;

    /// <summary>Frees the counters for the connection's next request, once detached.</summary>
    public void Release() => Volatile.Write(ref _inUse, 0);

    /// <summary>Puts the counters in front of <paramref name="context"/>'s bodies and zeroes them.</summary>
    // Hot path: feature swaps and field stores; must never allocate.
    public void Attach(HttpContext context)
    {
        _requestStream.ResetCounts();
        _requestReader.ResetCounts();
        _responseStream.ResetCounts();
        _responseWriter.ResetCounts();
        _sentFileBytes = 0;

        var features = context.Features;
        _responseFeature = features.GetRequiredFeature<IHttpResponseBodyFeature>();
        features.Set<IHttpResponseBodyFeature>(this);

        _countsRequest = features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? true;
        if (!_countsRequest)
        {
            return;
        }

        // The server's reader is taken before the body stream is replaced: Kestrel's feature would otherwise see a
        // new stream and build a stream-backed reader over our counting stream, counting every byte twice.
        _requestPipeFeature = features.Get<IRequestBodyPipeFeature>();
        _serverReader = _requestPipeFeature?.Reader;
        _requestBody = context.Request.Body;
        context.Request.Body = _requestStream.Attach(_requestBody);
        features.Set<IRequestBodyPipeFeature>(this);
    }

    /// <summary>Gives <paramref name="context"/> its own bodies back; the counts stay readable until the next attach.</summary>
    public void Detach(HttpContext context)
    {
        var features = context.Features;
        features.Set(_responseFeature);
        _responseFeature = null;
        _responseStream.Detach();
        _responseWriter.Detach();
        if (!_countsRequest)
        {
            return;
        }

        context.Request.Body = _requestBody!;
        features.Set(_requestPipeFeature);
        _requestStream.Detach();
        _requestReader.Detach();
        _ownedReader?.Complete();
        _requestPipeFeature = null;
        _serverReader = null;
        _ownedReader = null;
        _requestBody = null;
    }

    void IHttpResponseBodyFeature.DisableBuffering() => ResponseFeature.DisableBuffering();

    Task IHttpResponseBodyFeature.StartAsync(CancellationToken cancellationToken) => ResponseFeature.StartAsync(cancellationToken);

    Task IHttpResponseBodyFeature.CompleteAsync() => ResponseFeature.CompleteAsync();

    async Task IHttpResponseBodyFeature.SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken)
    {
        await ResponseFeature.SendFileAsync(path, offset, count, cancellationToken).ConfigureAwait(false);
        _sentFileBytes += count ?? (new FileInfo(path).Length - offset);
    }

    // A server without a request pipe feature gets the same stream-backed reader ASP.NET Core would have built,
    // over the server's stream so that the counting stream does not count these bytes a second time.
    private PipeReader CreateOwnedReader() =>
        _ownedReader = PipeReader.Create(_requestBody ?? throw new ObjectDisposedException(nameof(BodyByteCounters)), new StreamPipeReaderOptions(leaveOpen: true));
}
