using System.Buffers;

namespace Metrics.Exposition;

/// <summary>
/// The bytes of one collection, in an array rented from the shared pool and shared by every scrape that uses them.
/// Each user holds a reference; the array goes back to the pool when the last one is released, never before.
/// </summary>
internal sealed class RenderedScrape
{
    private readonly int _length;
    private byte[]? _buffer;
    private int _references = 1;

    /// <summary>Takes over <paramref name="writer"/>'s array; the new instance holds the one reference its creator owns.</summary>
    public RenderedScrape(PooledBufferWriter writer) => _buffer = writer.DetachBuffer(out _length);

    public int Length => _length;

    /// <summary>The bytes; only valid while the caller holds a reference.</summary>
    public ReadOnlyMemory<byte> Content => (_buffer ?? throw new ObjectDisposedException(nameof(RenderedScrape))).AsMemory(0, _length);

    /// <summary>Takes one more reference; false once the last reference is gone and the array is back in the pool.</summary>
    public bool TryAcquire()
    {
        var references = Volatile.Read(ref _references);
        while (references > 0)
        {
            var seen = Interlocked.CompareExchange(ref _references, references + 1, references);
            if (seen == references)
            {
                return true;
            }

            references = seen;
        }

        return false;
    }

    /// <summary>Gives one reference back; the last one returns the array to the pool.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0 && Interlocked.Exchange(ref _buffer, null) is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
