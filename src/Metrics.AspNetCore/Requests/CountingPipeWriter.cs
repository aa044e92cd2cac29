using System.IO.Pipelines;

namespace Metrics.AspNetCore;

/// <summary>
/// Forwards to the response's <see cref="PipeWriter"/> and counts the bytes the application commits. Pooled with its
/// request's other counters; detached, it throws <see cref="ObjectDisposedException"/>.
/// </summary>
internal sealed class CountingPipeWriter : PipeWriter
{
    private PipeWriter? _inner;

    public bool IsAttached => _inner is not null;

    /// <summary>Bytes committed through this writer since its counts were last reset.</summary>
    public long BytesWritten { get; private set; }

    public override bool CanGetUnflushedBytes => _inner?.CanGetUnflushedBytes ?? false;

    public override long UnflushedBytes => Inner.UnflushedBytes;

    private PipeWriter Inner => _inner ?? throw new ObjectDisposedException(nameof(CountingPipeWriter), "The request has completed; its body writer can no longer be used.");

    public CountingPipeWriter Attach(PipeWriter inner)
    {
        _inner = inner;
        return this;
    }

    public void Detach() => _inner = null;

    public void ResetCounts() => BytesWritten = 0;

    // Hot path: one addition on top of the server's writer; must never allocate.
    public override void Advance(int bytes)
    {
        Inner.Advance(bytes);
        BytesWritten += bytes;
    }

    public override Memory<byte> GetMemory(int sizeHint = 0) => Inner.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => Inner.GetSpan(sizeHint);

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => Inner.FlushAsync(cancellationToken);

    public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        var pending = Inner.WriteAsync(source, cancellationToken);
        BytesWritten += source.Length;
        return pending;
    }

    public override void CancelPendingFlush() => Inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null) => Inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => Inner.CompleteAsync(exception);
}
