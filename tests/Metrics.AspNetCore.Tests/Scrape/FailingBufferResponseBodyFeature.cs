using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace Metrics.AspNetCore.Tests.Endpoints;

/// <summary>A response body whose pipe refuses its first buffer request, as a broken or exhausted buffer pool would.</summary>
internal sealed class FailingBufferResponseBodyFeature(IHttpResponseBodyFeature inner) : IHttpResponseBodyFeature
{
    private readonly FailingFirstBufferWriter _writer = new(inner.Writer);

    public Stream Stream => inner.Stream;

    public PipeWriter Writer => _writer;

    public Task CompleteAsync() => inner.CompleteAsync();

    public void DisableBuffering() => inner.DisableBuffering();

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
        inner.SendFileAsync(path, offset, count, cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken = default) => inner.StartAsync(cancellationToken);

    private sealed class FailingFirstBufferWriter(PipeWriter inner) : PipeWriter
    {
        private bool _failed;

        public override void Advance(int bytes) => inner.Advance(bytes);

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

        public override Memory<byte> GetMemory(int sizeHint = 0)
        {
            FailFirst();
            return inner.GetMemory(sizeHint);
        }

        public override Span<byte> GetSpan(int sizeHint = 0)
        {
            FailFirst();
            return inner.GetSpan(sizeHint);
        }

        private void FailFirst()
        {
            if (!_failed)
            {
                _failed = true;
                throw new IOException("Simulated buffer failure.");
            }
        }
    }
}
