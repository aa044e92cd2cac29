using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace Metrics.AspNetCore;

/// <summary>
/// Forwards to the request's <see cref="PipeReader"/> and counts the bytes the application consumes. Pooled with its
/// request's other counters; detached, it throws <see cref="ObjectDisposedException"/>.
/// </summary>
internal sealed class CountingPipeReader : PipeReader
{
    private PipeReader? _inner;

    // The buffer of the latest read: AdvanceTo measures the consumed bytes against it.
    private ReadOnlySequence<byte> _lastBuffer;

    public bool IsAttached => _inner is not null;

    /// <summary>Bytes consumed through this reader since its counts were last reset.</summary>
    public long BytesConsumed { get; private set; }

    private PipeReader Inner => _inner ?? throw new ObjectDisposedException(nameof(CountingPipeReader), "The request has completed; its body reader can no longer be used.");

    public CountingPipeReader Attach(PipeReader inner)
    {
        _inner = inner;
        return this;
    }

    public void Detach()
    {
        _inner = null;
        _lastBuffer = default;
    }

    public void ResetCounts() => BytesConsumed = 0;

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    // Hot path: slicing a sequence is arithmetic on positions; must never allocate.
    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        var inner = Inner;
        if (!_lastBuffer.IsEmpty)
        {
            BytesConsumed += _lastBuffer.Slice(_lastBuffer.Start, consumed).Length;
            _lastBuffer = default;
        }

        inner.AdvanceTo(consumed, examined);
    }

    public override void CancelPendingRead() => Inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => Inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => Inner.CompleteAsync(exception);

    // Hot path: completes synchronously without allocating when the data is already buffered.
    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        var pending = Inner.ReadAsync(cancellationToken);
        return pending.IsCompletedSuccessfully ? new ValueTask<ReadResult>(Remember(pending.Result)) : AwaitRead(pending);
    }

    public override bool TryRead(out ReadResult result)
    {
        if (!Inner.TryRead(out result))
        {
            return false;
        }

        Remember(result);
        return true;
    }

    private ReadResult Remember(ReadResult result)
    {
        _lastBuffer = result.Buffer;
        return result;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReadResult> AwaitRead(ValueTask<ReadResult> pending) => Remember(await pending.ConfigureAwait(false));
}
