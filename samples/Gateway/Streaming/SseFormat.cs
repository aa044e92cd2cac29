using System.Buffers;
using System.Text;

namespace Gateway.Streaming;

/// <summary>The Server-Sent Events framing every writer of events shares.</summary>
internal static class SseFormat
{
    /// <summary>Writes an <c>event:</c> line when the event is named, then the start of its <c>data:</c> line.</summary>
    public static void WriteEventStart(IBufferWriter<byte> output, string? eventName)
    {
        if (eventName is not null)
        {
            output.Write("event: "u8);
            EncodingExtensions.GetBytes(Encoding.UTF8, eventName, output);
            output.Write("\n"u8);
        }

        output.Write("data: "u8);
    }
}
