using System.Buffers;
using System.Globalization;

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

    public void Write(ReadOnlySpan<byte> bytes)
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
