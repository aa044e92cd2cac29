using System.Buffers;
using System.Diagnostics;
using Gateway.Routing;
using Gateway.Surfaces;
using Gateway.Telemetry;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Gateway.Streaming;

/// <summary>
/// Relays a provider's Server-Sent Events to the client as they arrive, while counting bytes, timing the first chunk
/// and picking out token usage: byte for byte when no <see cref="SseEventTransform"/> is given, otherwise event by
/// event through it (a translation between APIs, or the removal of usage the client did not ask for). A provider
/// that breaks off or goes silent mid-stream ends the client's stream with an error event in the surface's form,
/// never a hang.
/// </summary>
/// <remarks>
/// Usage counts only what the client was sent: the provider's usage reports are taken into the outcome once the
/// bytes that carried them (or the client's translation of them) were written. A client that goes away mid-stream
/// therefore accounts for the usage of the events it was sent before it left, and no more.
/// </remarks>
internal static class SseRelay
{
    private const int BufferSize = 16 * 1024;

    /// <summary>
    /// Streams <paramref name="upstream"/>'s body to the client; returns when either side has finished. Usage is
    /// picked out only when <paramref name="scanUsage"/> is set (a transform always reads it).
    /// </summary>
    public static async Task<StreamOutcome> RelayAsync(
        HttpContext context,
        HttpResponseMessage upstream,
        ApiSurface surface,
        Provider provider,
        RouteMetrics routeMetrics,
        TimeSpan idleTimeout,
        bool scanUsage,
        long startTimestamp,
        SseEventTransform? transform)
    {
        var response = context.Response;
        var aborted = context.RequestAborted;
        response.StatusCode = (int)upstream.StatusCode;
        response.ContentType = transform is null ? upstream.Content.Headers.ContentType?.ToString() ?? "text/event-stream" : "text/event-stream";
        response.Headers[HeaderNames.CacheControl] = "no-cache";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        using var scanner = new SseUsageScanner();
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var translated = transform is null ? null : new ArrayBufferWriter<byte>(BufferSize);
        var delivered = default(TokenUsage);
        long bytesIn = 0;
        long bytesOut = 0;
        UpstreamFailure? failure = null;
        try
        {
            await using var source = await upstream.Content.ReadAsStreamAsync(aborted);
            await response.StartAsync(aborted);
            while (true)
            {
                idle.CancelAfter(idleTimeout);
                int read;
                try
                {
                    read = await source.ReadAsync(buffer, idle.Token);
                }
                catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
                {
                    failure = UpstreamFailure.StreamStalled(provider.Name, idleTimeout);
                    break;
                }
                catch (Exception exception) when (exception is IOException or HttpRequestException && !aborted.IsCancellationRequested)
                {
                    failure = UpstreamFailure.BodyBroken(provider.Name);
                    break;
                }

                if (read == 0)
                {
                    break;
                }

                if (bytesIn == 0)
                {
                    routeMetrics.RecordFirstToken(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds);
                }

                bytesIn += read;
                if (translated is null)
                {
                    await response.Body.WriteAsync(buffer.AsMemory(0, read), aborted);
                    bytesOut += read;
                    if (scanUsage)
                    {
                        scanner.Feed(buffer.AsSpan(0, read));
                        delivered = scanner.Usage;
                    }

                    continue;
                }

                try
                {
                    transform!.Feed(buffer.AsSpan(0, read), translated);
                }
                catch (Exception exception) when (exception is InvalidDataException or InvalidOperationException or FormatException)
                {
                    // What was translated before the bad event still reaches the client, then the error event ends the stream.
                    bytesOut += await FlushAsync(response, translated, aborted);
                    delivered = transform!.Usage;
                    failure = UpstreamFailure.BadResponse(provider.Name);
                    break;
                }

                bytesOut += await FlushAsync(response, translated, aborted);
                delivered = transform.Usage;
            }

            if (translated is not null && failure is null)
            {
                transform!.Complete(translated);
                bytesOut += await FlushAsync(response, translated, aborted);
                delivered = transform.Usage;
            }

            if (failure is not null)
            {
                var errorEvent = StreamErrorEvent.For(surface, $"The stream was interrupted: {failure.Summary}.");
                await response.Body.WriteAsync(errorEvent, aborted);
                bytesOut += errorEvent.Length;
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away; there is no one left to tell.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return new StreamOutcome(delivered, bytesIn, bytesOut, failure);
    }

    private static async Task<int> FlushAsync(HttpResponse response, ArrayBufferWriter<byte> translated, CancellationToken aborted)
    {
        var length = translated.WrittenCount;
        if (length > 0)
        {
            await response.Body.WriteAsync(translated.WrittenMemory, aborted);
            translated.ResetWrittenCount();
        }

        return length;
    }
}
