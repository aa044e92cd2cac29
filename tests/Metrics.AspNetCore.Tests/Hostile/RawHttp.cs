using System.Net.Sockets;
using System.Text;

namespace Metrics.AspNetCore.Tests.Hostile;

/// <summary>
/// A client on a bare socket, for what HttpClient will not do: send a request head and part of a body, stop reading,
/// hang up mid-body, or read the exact status and body of a refused WebSocket handshake.
/// </summary>
internal sealed class RawHttp : IDisposable
{
    private readonly Socket _socket;

    private RawHttp(Socket socket) => _socket = socket;

    public Socket Socket => _socket;

    /// <summary>Connects to <paramref name="address"/>; a small receive buffer makes a client that stops reading fill up fast.</summary>
    public static async Task<RawHttp> ConnectAsync(Uri address, int? receiveBufferSize = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (receiveBufferSize is { } size)
        {
            socket.ReceiveBufferSize = size;
        }

        await socket.ConnectAsync(address.Host, address.Port);
        return new RawHttp(socket);
    }

    public async Task SendAsync(string text) => await _socket.SendAsync(Encoding.ASCII.GetBytes(text), SocketFlags.None);

    /// <summary>Reads until the server closes the connection or <paramref name="timeout"/> passes; a reset ends it like a close.</summary>
    public async Task<string> ReadToEndAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            int count;
            while ((count = await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellation.Token)) > 0)
            {
                received.Write(buffer, 0, count);
            }
        }
        catch (SocketException exception) when (exception.SocketErrorCode == SocketError.ConnectionReset)
        {
        }
        catch (OperationCanceledException)
        {
        }

        return Encoding.UTF8.GetString(received.ToArray());
    }

    /// <summary>Whatever has arrived by now, without waiting.</summary>
    public int DrainAvailable()
    {
        var total = 0;
        var buffer = new byte[64 * 1024];
        while (_socket.Available > 0)
        {
            total += _socket.Receive(buffer);
        }

        return total;
    }

    /// <summary>Closes with a reset, as a client that crashed or lost its network would.</summary>
    public void Reset()
    {
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }

    public void Dispose() => _socket.Dispose();

    /// <summary>A WebSocket handshake request for <paramref name="pathAndQuery"/>, with an <c>Origin</c> header when given.</summary>
    public static string WebSocketHandshake(Uri address, string pathAndQuery, string? origin = null) =>
        $"GET {pathAndQuery} HTTP/1.1\r\nHost: {address.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" +
        (origin is null ? "" : $"Origin: {origin}\r\n") + "\r\n";
}
