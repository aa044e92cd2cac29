using System.Buffers;
using System.Globalization;
using System.Text;

namespace Metrics.Exposition;

/// <summary>
/// Copies bytes into an <see cref="IBufferWriter{T}"/> a chunk at a time, so that writing a sample costs a few
/// span copies rather than a GetSpan/Advance pair per token.
/// </summary>
internal ref struct Utf8Sink
{
    private const int ChunkSize = 16 * 1024;

    private readonly IBufferWriter<byte> _output;
    private Span<byte> _chunk;
    private int _position;

    public Utf8Sink(IBufferWriter<byte> output)
    {
        _output = output;
        _chunk = default;
        _position = 0;
    }

    public void Write(scoped ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > _chunk.Length - _position)
        {
            NextChunk(bytes.Length);
        }

        bytes.CopyTo(_chunk[_position..]);
        _position += bytes.Length;
    }

    public void WriteByte(byte value)
    {
        if (_position == _chunk.Length)
        {
            NextChunk(1);
        }

        _chunk[_position++] = value;
    }

    public void WriteInteger(long value)
    {
        Reserve(20);
        value.TryFormat(_chunk[_position..], out var written, default, CultureInfo.InvariantCulture);
        _position += written;
    }

    public void WriteDouble(double value)
    {
        Reserve(FloatFormatter.MaxLength);
        _position += FloatFormatter.Format(value, _chunk[_position..]);
    }

    /// <summary>Writes OpenMetrics' canonical form of <paramref name="value"/>: <c>1.0</c> rather than <c>1</c>.</summary>
    public void WriteCanonicalDouble(double value)
    {
        Reserve(FloatFormatter.MaxLength);
        _position += FloatFormatter.FormatCanonical(value, _chunk[_position..]);
    }

    /// <summary>Writes a Unix timestamp in seconds in plain decimal: <c>1704164645.5</c>.</summary>
    public void WriteTimestamp(double seconds)
    {
        Reserve(FloatFormatter.MaxLength);
        _position += FloatFormatter.FormatTimestamp(seconds, _chunk[_position..]);
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8.</summary>
    public void WriteUtf8(ReadOnlySpan<char> text)
    {
        Reserve(Encoding.UTF8.GetMaxByteCount(text.Length));
        _position += Encoding.UTF8.GetBytes(text, _chunk[_position..]);
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

    /// <summary>Commits what was written to the output; call once at the end.</summary>
    public void Flush()
    {
        if (_position > 0)
        {
            _output.Advance(_position);
        }

        _chunk = default;
        _position = 0;
    }

    private void Reserve(int length)
    {
        if (length > _chunk.Length - _position)
        {
            NextChunk(length);
        }
    }

    private void NextChunk(int minimum)
    {
        Flush();
        _chunk = _output.GetSpan(Math.Max(minimum, ChunkSize));
    }
}
