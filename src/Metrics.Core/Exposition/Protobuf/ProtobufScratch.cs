using System.Buffers;

namespace Metrics.Exposition.Protobuf;

/// <summary>
/// The two buffers the protobuf writer fills before it knows a message's size: one family's metrics, and one
/// histogram's content. A scraping thread keeps them for its next scrape.
/// </summary>
internal sealed class ProtobufScratch
{
    private const int InitialCapacity = 16 * 1024;

    public ArrayBufferWriter<byte> Metrics { get; } = new(InitialCapacity);

    public ArrayBufferWriter<byte> Content { get; } = new(InitialCapacity);

    /// <summary>Empties both buffers; false when they grew past <paramref name="retainLimit"/> bytes and should be dropped instead.</summary>
    public bool Reset(int retainLimit)
    {
        Metrics.ResetWrittenCount();
        Content.ResetWrittenCount();
        return Metrics.Capacity <= retainLimit && Content.Capacity <= retainLimit;
    }
}
