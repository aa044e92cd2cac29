using System.Buffers;

namespace Gateway.Streaming;

/// <summary>
/// Watches a Server-Sent Events byte stream as it is relayed and picks out token usage, without changing or holding
/// back a byte. Only <c>data:</c> lines that mention <c>"usage"</c> are parsed; lines that arrive whole within one
/// read are scanned in place, and only a line split across reads is copied.
/// </summary>
internal sealed class SseUsageScanner : IDisposable
{
    // A line longer than this cannot be an event the gateway needs; it is relayed but not parsed.
    private const int MaxLineBytes = 4 * 1024 * 1024;
    private static readonly byte[] DataPrefix = "data:"u8.ToArray();
    private static readonly byte[] UsageMarker = "\"usage\""u8.ToArray();

    private byte[] _partial = [];
    private int _partialLength;
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

            if (_partialLength == 0 && !_overflowed)
            {
                Scan(bytes[..end]);
            }
            else
            {
                Append(bytes[..end]);
                if (!_overflowed)
                {
                    Scan(_partial.AsSpan(0, _partialLength));
                }

                _partialLength = 0;
                _overflowed = false;
            }

            bytes = bytes[(end + 1)..];
        }
    }

    /// <summary>Returns the partial-line buffer to the pool.</summary>
    public void Dispose()
    {
        if (_partial.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_partial);
            _partial = [];
        }
    }

    private void Scan(ReadOnlySpan<byte> line)
    {
        if (line.StartsWith(DataPrefix) && line.IndexOf(UsageMarker) >= 0)
        {
            _usage.UpdateFrom(line[DataPrefix.Length..].TrimEnd((byte)'\r'));
        }
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (_overflowed || _partialLength + bytes.Length > MaxLineBytes)
        {
            _overflowed = true;
            return;
        }

        if (_partialLength + bytes.Length > _partial.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(Math.Max(_partial.Length * 2, 1024), _partialLength + bytes.Length));
            _partial.AsSpan(0, _partialLength).CopyTo(larger);
            if (_partial.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_partial);
            }

            _partial = larger;
        }

        bytes.CopyTo(_partial.AsSpan(_partialLength));
        _partialLength += bytes.Length;
    }
}
