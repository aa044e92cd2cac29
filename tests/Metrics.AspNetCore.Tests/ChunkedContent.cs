namespace Metrics.AspNetCore.Tests;

/// <summary>
/// Request content of unknown length, which HttpClient sends without Content-Length, so that only counting the
/// bytes actually read can give the right total.
/// </summary>
internal static class ChunkedContent
{
    public static StreamContent OfLength(int length) => new(new NonSeekableStream(new byte[length]));

    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
