using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Metrics.AspNetCore;

/// <summary>
/// Serves the live updates as Server-Sent Events: one <c>data:</c> event a second, whose <c>id:</c> is the last point's
/// sequence number. A client dropped for falling behind has its connection aborted.
/// </summary>
internal sealed class LiveStreamEndpoint(MetricRegistry registry, LiveUpdateHub hub)
{
    private static readonly byte[] DataPrefix = "\ndata: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();

    public async Task HandleAsync(HttpContext context)
    {
        using var subscription = await LiveRequests.SubscribeAsync(context, registry, hub).ConfigureAwait(false);
        if (subscription is null)
        {
            return;
        }

        var response = context.Response;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        // Proxies such as nginx would otherwise hold events back to fill their buffers.
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        try
        {
            await response.StartAsync(subscription.Ended).ConfigureAwait(false);
            await foreach (var message in subscription.Messages.ReadAllAsync(subscription.Ended).ConfigureAwait(false))
            {
                await WriteEventAsync(response.BodyWriter, message, subscription.Ended).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }

        if (subscription.WasDropped)
        {
            context.Abort();
        }
    }

    private static async ValueTask WriteEventAsync(PipeWriter writer, LiveMessage message, CancellationToken cancellationToken)
    {
        WriteAscii(writer, "id: ");
        WriteAscii(writer, message.LastSequence.ToString(CultureInfo.InvariantCulture));
        writer.Write(DataPrefix);
        writer.Write(message.Json);
        writer.Write(EventEnd);
        var result = await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (result.IsCanceled || result.IsCompleted)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

    private static void WriteAscii(PipeWriter writer, string text)
    {
        var span = writer.GetSpan(text.Length);
        var written = System.Text.Encoding.ASCII.GetBytes(text, span);
        writer.Advance(written);
    }
}
