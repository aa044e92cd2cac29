using System.Net;
using System.Net.Sockets;

namespace Metrics.AspNetCore.Tests.Live;

/// <summary>The fields read from Linux's <c>TCP_INFO</c>, checked against what a loopback connection did.</summary>
public sealed class TcpWindowTests
{
    [Test]
    public async Task Reads_what_the_peer_acknowledged_and_a_window_that_shrinks_by_what_it_left_unread_and_reopens_once_read()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("TCP_INFO is read on Linux only; elsewhere the live endpoints fall back to their write timeout.");
        }

        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndPoint!);
        using var server = await listener.AcceptAsync();

        TcpWindow.TryRead(server, out var opened).ShouldBeTrue();
        opened.Acknowledged.ShouldBe(0);
        opened.Unacknowledged.ShouldBe(0);
        opened.HandedOver.ShouldBe(0);
        opened.PeerWindow.ShouldBeGreaterThan(0);

        // Segments this large never fit in the window's rounding, so the window shows what the client has not read;
        // three quarters of its receive buffer take it under half, from where reading it all at least doubles it, and
        // only then does the client's kernel tell the server without waiting for more data.
        const int Sent = 96 * 1024;
        for (var i = 0; i < Sent / (8 * 1024); i++)
        {
            server.Send(new byte[8 * 1024]);
        }

        await Eventually.ShouldBecomeAsync(() => Read(server).Unacknowledged, 0L);
        var unread = Read(server);
        unread.Acknowledged.ShouldBe(Sent);
        unread.HandedOver.ShouldBe(Sent);
        client.Available.ShouldBe(Sent);
        unread.PeerWindow.ShouldBeLessThan(opened.PeerWindow);

        var buffer = new byte[Sent];
        for (var received = 0; received < buffer.Length;)
        {
            received += client.Receive(buffer);
        }

        await Eventually.ShouldBecomeAsync(() => Read(server).PeerWindow > unread.PeerWindow, true);
        Read(server).Acknowledged.ShouldBe(Sent);
    }

    private static TcpWindow Read(Socket socket)
    {
        TcpWindow.TryRead(socket, out var window).ShouldBeTrue();
        return window;
    }
}
