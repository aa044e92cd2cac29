using System.Runtime.CompilerServices;

namespace Metrics.AspNetCore;

/// <summary>
/// Forwards to the stream it is attached to and counts the bytes that pass each way. It is pooled with its request's
/// other counters, so it is attached for one request at a time; detached, it throws <see cref="ObjectDisposedException"/>.
/// </summary>
/// <remarks>
/// It keeps <see cref="Stream"/>'s empty Dispose and never disposes the stream it wraps: the server owns that stream,
/// and code that disposes the request body (a <see cref="StreamReader"/> does) must not close the server's.
/// </remarks>
internal sealed class CountingStream : Stream
{
    private Stream? _inner;

    public bool IsAttached => _inner is not null;

    /// <summary>Bytes read through this stream since it was last attached.</summary>
    public long BytesRead { get; private set; }

    /// <summary>Bytes written through this stream since it was last attached.</summary>
    public long BytesWritten { get; private set; }

    public override bool CanRead => _inner?.CanRead ?? false;

    public override bool CanSeek => _inner?.CanSeek ?? false;

    public override bool CanWrite => _inner?.CanWrite ?? false;

    public override long Length => Inner.Length;

    public override long Position
    {
        get => Inner.Position;
        set => Inner.Position = value;
    }

    private Stream Inner => _inner ?? throw new ObjectDisposedException(nameof(CountingStream), "The request has completed; its body stream can no longer be used.");

    public CountingStream Attach(Stream inner)
    {
        _inner = inner;
        return this;
    }

    public void Detach() => _inner = null;

    public void ResetCounts()
    {
        BytesRead = 0;
        BytesWritten = 0;
    }

    public override void Flush() => Inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => Inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => CountRead(Inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => CountRead(Inner.Read(buffer));

    public override int ReadByte()
    {
        var value = Inner.ReadByte();
        if (value >= 0)
        {
            BytesRead++;
        }

        return value;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Hot path: completes synchronously without allocating when the data is already buffered.
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var pending = Inner.ReadAsync(buffer, cancellationToken);
        return pending.IsCompletedSuccessfully ? new ValueTask<int>(CountRead(pending.Result)) : AwaitRead(pending);
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        Inner.Write(buffer, offset, count);
        BytesWritten += count;
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Inner.Write(buffer);
        BytesWritten += buffer.Length;
    }

    public override void WriteByte(byte value)
    {
        Inner.WriteByte(value);
        BytesWritten++;
    }

    // Async writes count the bytes when they are handed over, so that counting never needs a continuation.
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        var task = Inner.WriteAsync(buffer, offset, count, cancellationToken);
        BytesWritten += count;
        return task;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var task = Inner.WriteAsync(buffer, cancellationToken);
        BytesWritten += buffer.Length;
        return task;
    }

    public override long Seek(long offset, SeekOrigin origin) => Inner.Seek(offset, origin);

    public override void SetLength(long value) => Inner.SetLength(value);

    private int CountRead(int bytes)
    {
        BytesRead += bytes;
        return bytes;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> AwaitRead(ValueTask<int> pending) => CountRead(await pending.ConfigureAwait(false));
}
