using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Metrics.AspNetCore;

/// <summary>
/// Serves the live updates as Server-Sent Events: one <c>data:</c> event a second, whose <c>id:</c> is the last point's
/// sequence number. A client dropped for reading nothing has its connection aborted.
/// </summary>
internal sealed class LiveStreamEndpoint(LiveRequests requests)
{
    private static readonly byte[] DataPrefix = "\ndata: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();

    // A comment line, which EventSource ignores: the padding that makes a client show whether it reads.
    private static readonly byte[] Padding = CommentLine(LiveSession.ChunkBytes);

    public async Task HandleAsync(HttpContext context)
    {
        if (await requests.StartAsync(context).ConfigureAwait(false) is not var (subscription, first))
        {
            return;
        }

        using (subscription)
        {
            var hub = requests.Hub;
            var response = context.Response;
            response.ContentType = "text/event-stream; charset=utf-8";
            response.Headers.CacheControl = "no-store";
            // Proxies such as nginx would otherwise hold events back to fill their buffers.
            response.Headers["X-Accel-Buffering"] = "no";
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            var connection = LiveConnection.For(context, hub.Clock, hub.SendTimeout);
            try
            {
                await response.StartAsync(subscription.Ended).ConfigureAwait(false);
                await LiveSession.RunAsync(hub, subscription, first, connection, (chunk, isFirst, isLast, message, cancellationToken) =>
                    WriteAsync(response.BodyWriter, chunk, isFirst, isLast, message, cancellationToken),
                    (bytes, cancellationToken) => PadAsync(response.BodyWriter, bytes, cancellationToken)).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or IOException)
            {
            }

            if (subscription.WasDropped)
            {
                context.Abort();
            }
        }
    }

    private static async ValueTask WriteAsync(PipeWriter writer, ReadOnlyMemory<byte> chunk, bool isFirst, bool isLast, LiveMessage message, CancellationToken cancellationToken)
    {
        if (isFirst)
        {
            WriteAscii(writer, "id: ");
            WriteAscii(writer, message.LastSequence.ToString(CultureInfo.InvariantCulture));
            writer.Write(DataPrefix);
        }

        writer.Write(chunk.Span);
        if (isLast)
        {
            writer.Write(EventEnd);
        }

        await FlushAsync(writer, cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask PadAsync(PipeWriter writer, int bytes, CancellationToken cancellationToken)
    {
        while (bytes > 0)
        {
            var line = Math.Min(bytes, Padding.Length);
            // Each piece is a whole comment line: its start and its end.
            writer.Write(Padding.AsSpan(0, line - 1));
            writer.Write(Padding.AsSpan(Padding.Length - 1));
            bytes -= line;
        }

        await FlushAsync(writer, cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask FlushAsync(PipeWriter writer, CancellationToken cancellationToken)
    {
        var result = await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (result.IsCanceled || result.IsCompleted)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

    private static byte[] CommentLine(int length)
    {
        var line = new byte[length];
        line.AsSpan().Fill((byte)' ');
        line[0] = (byte)':';
        line[^1] = (byte)'\n';
        return line;
    }

    private static void WriteAscii(PipeWriter writer, string text)
    {
        var span = writer.GetSpan(text.Length);
        var written = System.Text.Encoding.ASCII.GetBytes(text, span);
        writer.Advance(written);
    }
}
