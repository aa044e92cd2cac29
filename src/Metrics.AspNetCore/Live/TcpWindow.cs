using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Metrics.AspNetCore;

/// <summary>
/// What the kernel knows of one TCP connection's peer, read from Linux's <c>TCP_INFO</c>: the receive window the peer
/// last advertised, how much of the server's data it has acknowledged, and how much the kernel holds that the peer has
/// not acknowledged yet.
/// </summary>
/// <param name="PeerWindow">The free space the peer last advertised in its receive buffer (<c>tcpi_snd_wnd</c>).</param>
/// <param name="Acknowledged">Bytes the peer has acknowledged since the connection opened (<c>tcpi_bytes_acked</c>).</param>
/// <param name="Unacknowledged">Bytes in the kernel not yet acknowledged: sent and in flight, or not sent yet.</param>
/// <param name="HandedOver">Bytes the kernel has taken from the server since the connection opened, sent or not.</param>
internal readonly record struct TcpWindow(long PeerWindow, long Acknowledged, long Unacknowledged, long HandedOver)
{
    private const int IpProtocolTcp = 6;
    private const int TcpInfoOption = 11;

    // Offsets in struct tcp_info (include/uapi/linux/tcp.h, in the machine's byte order), which only ever grows at its
    // end: eight one-byte fields, then 24 __u32 from tcpi_rto to tcpi_total_retrans, then the __u64 and __u32 fields in
    // their declared order.
    private const int BytesAckedOffset = 120;
    private const int NotSentBytesOffset = 144;
    private const int BytesSentOffset = 200;
    private const int BytesRetransmittedOffset = 208;
    private const int SendWindowOffset = 228;

    /// <summary>The bytes of <c>tcp_info</c> read: up to <c>tcpi_snd_wnd</c>, its newest field that this reads.</summary>
    private const int Length = SendWindowOffset + sizeof(uint);

    /// <summary>
    /// Reads the connection's window; false where the kernel has no <c>TCP_INFO</c> this long (not Linux, or a Linux
    /// too old to report the peer's window) or the socket is gone.
    /// </summary>
    public static bool TryRead(Socket socket, out TcpWindow window)
    {
        window = default;
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        Span<byte> info = stackalloc byte[Length];
        int length;
        try
        {
            length = socket.GetRawSocketOption(IpProtocolTcp, TcpInfoOption, info);
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException or PlatformNotSupportedException)
        {
            return false;
        }

        if (length < Length)
        {
            return false;
        }

        var acknowledged = (long)MemoryMarshal.Read<ulong>(info[BytesAckedOffset..]);
        var notSent = (long)MemoryMarshal.Read<uint>(info[NotSentBytesOffset..]);
        // Bytes sent counts retransmissions again; without them it is how far the server's sequence has gone.
        var sent = (long)(MemoryMarshal.Read<ulong>(info[BytesSentOffset..]) - MemoryMarshal.Read<ulong>(info[BytesRetransmittedOffset..]));
        var peerWindow = (long)MemoryMarshal.Read<uint>(info[SendWindowOffset..]);
        window = new TcpWindow(peerWindow, acknowledged, Math.Max(0, sent - acknowledged) + notSent, sent + notSent);
        return true;
    }
}
