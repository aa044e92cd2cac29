using System.Buffers;

namespace Gateway.Streaming;

/// <summary>
/// Watches a Server-Sent Events byte stream as it is relayed and picks out token usage, without changing or holding
/// back a byte. Only <c>data:</c> lines that mention <c>"usage"</c> are parsed; the rest are only scanned for line ends.
/// </summary>
internal sealed class SseUsageScanner : IDisposable
{
    // A line longer than this cannot be an event the gateway needs; it is relayed but not parsed.
    private const int MaxLineBytes = 4 * 1024 * 1024;
    private static readonly byte[] DataPrefix = "data:"u8.ToArray();
    private static readonly byte[] UsageMarker = "\"usage\""u8.ToArray();

    private byte[] _line = ArrayPool<byte>.Shared.Rent(4096);
    private int _length;
    private bool _overflowed;
    private TokenUsage _usage;

    /// <summary>The usage seen so far; the last report of each field wins.</summary>
    public TokenUsage Usage => _usage;

    /// <summary>Scans the next relayed bytes.</summary>
    public void Feed(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var end = bytes.IndexOf((byte)'\n');
            if (end < 0)
            {
                Append(bytes);
                return;
            }

            Append(bytes[..end]);
            CompleteLine();
            bytes = bytes[(end + 1)..];
        }
    }

    /// <summary>Returns the line buffer to the pool.</summary>
    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_line);
        _line = [];
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (_overflowed || _length + bytes.Length > MaxLineBytes)
        {
            _overflowed = true;
            return;
        }

        if (_length + bytes.Length > _line.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_line.Length * 2, _length + bytes.Length));
            _line.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_line);
            _line = larger;
        }

        bytes.CopyTo(_line.AsSpan(_length));
        _length += bytes.Length;
    }

    private void CompleteLine()
    {
        var line = _line.AsSpan(0, _length);
        if (!_overflowed && line.StartsWith(DataPrefix) && line.IndexOf(UsageMarker) >= 0)
        {
            _usage.UpdateFrom(line[DataPrefix.Length..].TrimEnd((byte)'\r'));
        }

        _length = 0;
        _overflowed = false;
    }
}
