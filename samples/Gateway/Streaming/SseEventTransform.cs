using System.Buffers;

namespace Gateway.Streaming;

/// <summary>
/// Rewrites a Server-Sent Events stream event by event: the bytes the provider sends, split anywhere, are cut into
/// whole events (<c>event:</c> and <c>data:</c> lines up to a blank line; comments, <c>id:</c> and <c>retry:</c> are
/// dropped), and each is handed to <see cref="OnEvent"/>, which writes what the client gets instead. Token usage is
/// read from the provider's own events, so it is counted once, as the provider reported it, whatever the client sees.
/// </summary>
internal abstract class SseEventTransform : IDisposable
{
    private static readonly byte[] DataPrefix = "data:"u8.ToArray();
    private static readonly byte[] EventPrefix = "event:"u8.ToArray();
    private static readonly byte[] UsageMarker = "\"usage\""u8.ToArray();

    // A line longer than this is no event an API sends; it ends the stream as broken rather than grow without bound.
    private const int MaxEventBytes = 8 * 1024 * 1024;

    private readonly ArrayBufferWriter<byte> _line = new(1024);
    private readonly ArrayBufferWriter<byte> _data = new(1024);
    private string? _eventName;
    private bool _hasData;
    private TokenUsage _usage;

    /// <summary>The usage the provider's events reported so far; the last report of each field wins.</summary>
    public TokenUsage Usage => _usage;

    /// <summary>Cuts <paramref name="bytes"/> into events and writes their replacements to <paramref name="output"/>.</summary>
    /// <exception cref="InvalidDataException">An event grew beyond 8 MiB.</exception>
    public void Feed(ReadOnlySpan<byte> bytes, IBufferWriter<byte> output)
    {
        while (!bytes.IsEmpty)
        {
            var end = bytes.IndexOf((byte)'\n');
            if (end < 0)
            {
                Append(_line, bytes);
                return;
            }

            ReadOnlySpan<byte> line;
            if (_line.WrittenCount == 0)
            {
                line = bytes[..end];
            }
            else
            {
                Append(_line, bytes[..end]);
                line = _line.WrittenSpan;
            }

            OnLine(line.TrimEnd((byte)'\r'), output);
            _line.ResetWrittenCount();
            bytes = bytes[(end + 1)..];
        }
    }

    /// <summary>Ends the stream: a last event without its blank line is handled, then <see cref="OnEnd"/> closes the client's stream.</summary>
    public void Complete(IBufferWriter<byte> output)
    {
        if (_line.WrittenCount > 0)
        {
            OnLine(_line.WrittenSpan.TrimEnd((byte)'\r'), output);
            _line.ResetWrittenCount();
        }

        Dispatch(output);
        OnEnd(output);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what a derived transform holds.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>Handles one whole event: <paramref name="eventName"/> (null when unnamed) and its data.</summary>
    protected abstract void OnEvent(string? eventName, ReadOnlySpan<byte> data, IBufferWriter<byte> output);

    /// <summary>Writes what the client still needs once the provider's stream ended normally.</summary>
    protected virtual void OnEnd(IBufferWriter<byte> output)
    {
    }

    /// <summary>Writes one event to <paramref name="output"/>: an optional <c>event:</c> line, the data and the blank line.</summary>
    protected static void WriteEvent(IBufferWriter<byte> output, string? eventName, ReadOnlySpan<byte> data)
    {
        SseFormat.WriteEventStart(output, eventName);
        output.Write(data);
        output.Write("\n\n"u8);
    }

    private static void Append(ArrayBufferWriter<byte> buffer, ReadOnlySpan<byte> bytes)
    {
        if (buffer.WrittenCount + bytes.Length > MaxEventBytes)
        {
            throw new InvalidDataException("A Server-Sent Event from the provider is larger than 8 MiB.");
        }

        buffer.Write(bytes);
    }

    private void OnLine(ReadOnlySpan<byte> line, IBufferWriter<byte> output)
    {
        if (line.IsEmpty)
        {
            Dispatch(output);
        }
        else if (line.StartsWith(DataPrefix))
        {
            if (_hasData)
            {
                Append(_data, "\n"u8);
            }

            Append(_data, TrimOneSpace(line[DataPrefix.Length..]));
            _hasData = true;
        }
        else if (line.StartsWith(EventPrefix))
        {
            _eventName = System.Text.Encoding.UTF8.GetString(TrimOneSpace(line[EventPrefix.Length..]));
        }
    }

    private void Dispatch(IBufferWriter<byte> output)
    {
        if (!_hasData)
        {
            _eventName = null;
            return;
        }

        var data = _data.WrittenSpan;
        if (data.IndexOf(UsageMarker) >= 0)
        {
            _usage.UpdateFrom(data);
        }

        OnEvent(_eventName, data, output);
        _data.ResetWrittenCount();
        _hasData = false;
        _eventName = null;
    }

    private static ReadOnlySpan<byte> TrimOneSpace(ReadOnlySpan<byte> value) => value.Length > 0 && value[0] == (byte)' ' ? value[1..] : value;
}
