using System.Net.Sockets;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Metrics.AspNetCore;

/// <summary>
/// The socket under one live client, where there is one to itself (HTTP/1.x on Kestrel's socket transport). A client
/// that stops reading leaves its bytes in the kernel: so that it pins little there, its send buffer is made small,
/// and the next bytes are handed over only once the kernel has room, so they do not pile up in the server's own
/// buffers either. Without such a socket (HTTP/2 streams share theirs, test servers have none), writes alone carry the
/// backpressure, each within the send timeout.
/// </summary>
internal sealed class LiveConnection
{
    /// <summary>
    /// The send buffer asked of the kernel, which doubles it for its bookkeeping: two pages or so for a client that
    /// reads nothing, and still a TCP window in flight per round trip for one that reads.
    /// </summary>
    public const int SendBufferBytes = 4 * 1024;

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private readonly Socket? _socket;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _timeout;

    private LiveConnection(Socket? socket, TimeProvider clock, TimeSpan timeout)
    {
        _socket = socket;
        _clock = clock;
        _timeout = timeout;
    }

    /// <summary>The connection of <paramref name="context"/>, its send buffer made small when it has a socket of its own.</summary>
    public static LiveConnection For(HttpContext context, TimeProvider clock, TimeSpan timeout)
    {
        var protocol = context.Request.Protocol;
        var socket = HttpProtocol.IsHttp11(protocol) || HttpProtocol.IsHttp10(protocol)
            ? context.Features.Get<IConnectionSocketFeature>()?.Socket
            : null;
        try
        {
            if (socket is not null)
            {
                socket.SendBufferSize = SendBufferBytes;
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException or PlatformNotSupportedException)
        {
            socket = null;
        }

        return new LiveConnection(socket, clock, timeout);
    }

    /// <summary>
    /// Waits until the kernel can take more of the client's bytes; false when it could take none for the send timeout,
    /// which means the client reads nothing.
    /// </summary>
    public async ValueTask<bool> WaitUntilWritableAsync(CancellationToken cancellationToken)
    {
        if (_socket is null || IsWritable(_socket))
        {
            return true;
        }

        var started = _clock.GetTimestamp();
        while (_clock.GetElapsedTime(started) < _timeout)
        {
            await Task.Delay(PollInterval, _clock, cancellationToken).ConfigureAwait(false);
            if (IsWritable(_socket))
            {
                return true;
            }
        }

        return false;
    }

    // A socket that fails to answer is left to the write, which reports the failure as the client having gone.
    private static bool IsWritable(Socket socket)
    {
        try
        {
            return socket.Poll(0, SelectMode.SelectWrite);
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            return true;
        }
    }
}
