using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Metrics.Exposition;

/// <summary>
/// Copies bytes into an <see cref="IBufferWriter{T}"/> a chunk at a time, so that writing a sample costs a few
/// span copies rather than a GetSpan/Advance pair per token.
/// </summary>
/// <remarks>
/// Not a ref struct, so that the series readers that write exposition can hold it as a field (generic arguments
/// cannot be ref structs on every target framework). It therefore keeps the output's chunk as the array behind the
/// output's memory, which every array-pooled writer (ASP.NET Core's pipes, <see cref="ArrayBufferWriter{T}"/>) gives;
/// for an output whose memory is not an array, it writes into a pooled array and copies that out when it is full.
/// </remarks>
internal struct Utf8Sink
{
    private const int ChunkSize = 16 * 1024;

    private readonly IBufferWriter<byte> _output;
    private byte[] _chunk;
    private int _start;
    private int _end;
    private int _position;
    private bool _pooled;

    public Utf8Sink(IBufferWriter<byte> output)
    {
        _output = output;
        _chunk = [];
    }

    private readonly Span<byte> Free => _chunk.AsSpan(_position, _end - _position);

    public void Write(scoped ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > _end - _position)
        {
            NextChunk(bytes.Length);
        }

        bytes.CopyTo(Free);
        _position += bytes.Length;
    }

    public void WriteByte(byte value)
    {
        if (_position == _end)
        {
            NextChunk(1);
        }

        _chunk[_position++] = value;
    }

    public void WriteInteger(long value)
    {
        Reserve(20);
        value.TryFormat(Free, out var written, default, CultureInfo.InvariantCulture);
        _position += written;
    }

    public void WriteDouble(double value)
    {
        Reserve(FloatFormatter.MaxLength);
        _position += FloatFormatter.Format(value, Free);
    }

    /// <summary>Writes OpenMetrics' canonical form of <paramref name="value"/>: <c>1.0</c> rather than <c>1</c>.</summary>
    public void WriteCanonicalDouble(double value)
    {
        Reserve(FloatFormatter.MaxLength);
        _position += FloatFormatter.FormatCanonical(value, Free);
    }

    /// <summary>Writes a Unix timestamp in seconds in plain decimal: <c>1704164645.5</c>.</summary>
    public void WriteTimestamp(double seconds)
    {
        Reserve(FloatFormatter.MaxLength);
        _position += FloatFormatter.FormatTimestamp(seconds, Free);
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8.</summary>
    public void WriteUtf8(ReadOnlySpan<char> text)
    {
        Reserve(Encoding.UTF8.GetMaxByteCount(text.Length));
        _position += Encoding.UTF8.GetBytes(text, Free);
    }

    /// <summary>Writes a label value as UTF-8, escaping <c>\</c>, <c>"</c> and newline as both formats require.</summary>
    public void WriteEscapedLabelValue(ReadOnlySpan<char> value)
    {
        while (true)
        {
            var special = value.IndexOfAny('\\', '"', '\n');
            if (special < 0)
            {
                WriteUtf8(value);
                return;
            }

            WriteUtf8(value[..special]);
            Write(value[special] switch
            {
                '\\' => @"\\"u8,
                '"' => "\\\""u8,
                _ => @"\n"u8,
            });
            value = value[(special + 1)..];
        }
    }

    /// <summary>
    /// Returns at least <paramref name="length"/> free bytes to write into directly, then <see cref="Advance"/>
    /// commits how many were written: a line written this way checks for room once instead of once per token.
    /// </summary>
    public Span<byte> GetSpan(int length)
    {
        Reserve(length);
        return Free;
    }

    /// <summary>Commits <paramref name="count"/> bytes written into the span <see cref="GetSpan"/> returned.</summary>
    public void Advance(int count) => _position += count;

    /// <summary>Commits what was written to the output; call once at the end.</summary>
    public void Flush()
    {
        if (_pooled)
        {
            _output.Write(_chunk.AsSpan(0, _position));
            ArrayPool<byte>.Shared.Return(_chunk);
        }
        else if (_position > _start)
        {
            _output.Advance(_position - _start);
        }

        _chunk = [];
        _start = _end = _position = 0;
        _pooled = false;
    }

    private void Reserve(int length)
    {
        if (length > _end - _position)
        {
            NextChunk(length);
        }
    }

    private void NextChunk(int minimum)
    {
        Flush();
        var size = Math.Max(minimum, ChunkSize);
        if (MemoryMarshal.TryGetArray<byte>(_output.GetMemory(size), out var segment))
        {
            _chunk = segment.Array!;
            _start = _position = segment.Offset;
            _end = segment.Offset + segment.Count;
            return;
        }

        _chunk = ArrayPool<byte>.Shared.Rent(size);
        _end = _chunk.Length;
        _pooled = true;
    }
}
