using System.Net.Sockets;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Metrics.AspNetCore;

/// <summary>
/// The socket under one live client, where there is one to itself (HTTP/1.x on Kestrel's socket transport), and the
/// flow control that keeps a client that stops reading from pinning kernel memory on either end of the connection.
/// </summary>
/// <remarks>
/// <para>
/// A client that stops reading keeps what it was sent in its kernel's receive queue, up to the whole window it
/// advertised, and the server's kernel keeps what did not fit in its send queue. The send queue is made small. The
/// receive queue is the client's, but what goes into it is the server's choice: where Linux reports the peer's window
/// (<see cref="TcpWindow"/>), the next chunk is handed over only while the peer advertises at least half the largest
/// window it ever did, so a client that reads nothing holds about half a window, not all of it. A client that reads
/// reopens its window as it does, and gets the next chunks then.
/// </para>
/// <para>
/// A window that stays under half for the send timeout, with nothing of the server's left unacknowledged, is a client
/// that reads nothing: it is dropped. But a window only shrinks once the peer's unread bytes pass what its kernel keeps
/// free beyond the window it offers; small messages never get there (the peer's kernel even moves the window's edge
/// forward for each small segment it takes, read or not), so such a client looks the same whether it reads or not. A
/// client that has given no sign of reading for the send timeout is therefore probed (<see cref="ProofOverdue"/>): the
/// transport pads (where it has a way to that the client ignores) until the window shrinks under half, and a client
/// that reads reopens it within the next send timeout, while one that does not is dropped.
/// </para>
/// <para>
/// Without such a socket (HTTP/2 streams share theirs, test servers have none), or without <c>TCP_INFO</c>, writes
/// alone carry the backpressure, each within the send timeout, after waiting for the kernel to take more.
/// </para>
/// </remarks>
internal sealed class LiveConnection
{
    /// <summary>
    /// The send buffer asked of the kernel, which doubles it for its bookkeeping: two pages or so for a client that
    /// reads nothing, and still a TCP window in flight per round trip for one that reads.
    /// </summary>
    public const int SendBufferBytes = 4 * 1024;

    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan LastPoll = TimeSpan.FromMilliseconds(200);

    // The kernel's window changes in real time, so it is polled in real time, whatever clock the history runs on; the
    // send timeout runs on the history's clock, as the ticks do.
    private static readonly TimeProvider PollClock = TimeProvider.System;

    private readonly Socket? _socket;
    private readonly bool _windowed;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _timeout;
    private long _handedOver;
    private long _largestWindow;
    private long _provenAt;

    private LiveConnection(Socket? socket, bool windowed, TimeProvider clock, TimeSpan timeout)
    {
        _socket = socket;
        _windowed = windowed;
        _clock = clock;
        _timeout = timeout;
        _provenAt = clock.GetTimestamp();
    }

    /// <summary>
    /// Whether the client has given no sign of reading for the send timeout while the window stayed open, so that the
    /// next message should be preceded by padding until the window shrinks; never where the window cannot be read.
    /// </summary>
    public bool ProofOverdue => _windowed && _clock.GetElapsedTime(_provenAt) >= _timeout;

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

        var window = default(TcpWindow);
        var windowed = socket is not null && TcpWindow.TryRead(socket, out window);
        var connection = new LiveConnection(socket, windowed, clock, timeout);
        if (windowed)
        {
            connection._largestWindow = window.PeerWindow;
            // The response head and any handshake are already the kernel's: what follows is counted from here.
            connection._handedOver = window.HandedOver;
        }

        return connection;
    }

    /// <summary>Gives a client whose window could not be made to show whether it reads another send timeout before the next probe.</summary>
    public void PostponeProof() => _provenAt = _clock.GetTimestamp();

    /// <summary>Counts bytes about to be handed to the transport, so that room is judged only once the kernel has them.</summary>
    public void Sending(int bytes) => _handedOver += bytes;

    /// <summary>
    /// Waits until the client can take another chunk; false when it gave no sign of reading for the send timeout while
    /// it could not, which means it reads nothing and is to be dropped.
    /// </summary>
    public async ValueTask<bool> WaitForRoomAsync(CancellationToken cancellationToken)
    {
        if (_socket is null)
        {
            return true;
        }

        if (!_windowed)
        {
            return await WaitUntilWritableAsync(_socket, cancellationToken).ConfigureAwait(false);
        }

        if (!TcpWindow.TryRead(_socket, out var window) || HasRoom(window))
        {
            return true;
        }

        // A sign of reading: the peer's window grew while nothing of the server's was in flight or queued, so no new
        // segment can have moved it; only the client's reads free space in its kernel's receive queue.
        var quiet = window.Unacknowledged == 0 ? window : (TcpWindow?)null;
        var stalledSince = _clock.GetTimestamp();
        var poll = FirstPoll;
        while (true)
        {
            await Task.Delay(poll, PollClock, cancellationToken).ConfigureAwait(false);
            poll = poll * 2 < LastPoll ? poll * 2 : LastPoll;
            if (!TcpWindow.TryRead(_socket, out window))
            {
                return true;
            }

            if (window.Unacknowledged == 0)
            {
                if (quiet is { } before && before.Acknowledged == window.Acknowledged && window.PeerWindow > before.PeerWindow)
                {
                    _provenAt = stalledSince = _clock.GetTimestamp();
                    // The window it reopened to is what it offers now, which may be less than its largest ever (its
                    // kernel under memory pressure, say): room is judged against that from here on.
                    _largestWindow = window.PeerWindow;
                }

                quiet = window;
            }

            if (HasRoom(window))
            {
                return true;
            }

            if (_clock.GetElapsedTime(stalledSince) >= _timeout)
            {
                return false;
            }
        }
    }

    // Room: the kernel has every byte handed to the transport so far, and what the peer can still take beyond the
    // bytes in flight is at least half the largest window it ever advertised.
    private bool HasRoom(TcpWindow window)
    {
        _largestWindow = Math.Max(_largestWindow, window.PeerWindow);
        return window.HandedOver >= _handedOver && window.PeerWindow - window.Unacknowledged >= Math.Max(1, _largestWindow / 2);
    }

    private async ValueTask<bool> WaitUntilWritableAsync(Socket socket, CancellationToken cancellationToken)
    {
        if (IsWritable(socket))
        {
            return true;
        }

        var started = _clock.GetTimestamp();
        while (_clock.GetElapsedTime(started) < _timeout)
        {
            await Task.Delay(LastPoll, PollClock, cancellationToken).ConfigureAwait(false);
            if (IsWritable(socket))
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
