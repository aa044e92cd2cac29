using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Metrics.AspNetCore.Tests.Live;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Metrics.AspNetCore.Tests.Hostile;

/// <summary>
/// Live clients on real sockets and the real clock: one that reads nothing is dropped within its deadline and counted,
/// and holds no more than the connection's buffers meanwhile; one that reads once a second is never dropped.
/// </summary>
public sealed class SlowLiveClientTests
{
    // Generous against a loaded machine: the deadlines under test are a few seconds.
    private static readonly TimeSpan DropDeadline = TimeSpan.FromSeconds(20);

    [Test]
    public async Task Sse_client_that_reads_nothing_is_dropped_once_its_buffers_stay_full_for_the_send_timeout()
    {
        await using var app = await StartAsync(sendTimeout: TimeSpan.FromSeconds(1));
        AddSeries(app.Registry(), 2_000);
        var started = Stopwatch.StartNew();
        using var client = await RawHttp.ConnectAsync(app.Address());

        await client.SendAsync($"GET /metrics/stream?family=requests_total HTTP/1.1\r\nHost: {app.Address().Authority}\r\n\r\n");
        await WaitForAsync(() => Value(app, "metrics_live_clients_dropped_total") == 1, DropDeadline);
        var droppedAfter = started.Elapsed;

        Value(app, "metrics_live_clients").ShouldBe(0);
        droppedAfter.ShouldBeLessThan(DropDeadline);
        // Each message is over 100 KB, yet all the server ever handed over is what the client's kernel took, the small
        // send buffer and one chunk: nothing piled up in the server's own buffers.
        var held = Encoding.UTF8.GetByteCount(await client.ReadToEndAsync(TimeSpan.FromSeconds(10)));
        held.ShouldBeLessThan(client.Socket.ReceiveBufferSize + LiveConnection.SendBufferBytes * 2 + LiveSession.ChunkBytes + 16 * 1024);
    }

    [Test]
    public async Task WebSocket_client_that_reads_nothing_is_dropped_by_its_unanswered_ping_while_its_buffers_are_nearly_empty()
    {
        await using var app = await StartAsync(sendTimeout: TimeSpan.FromSeconds(1));
        app.Registry().CreateCounter("requests", "Requests.");
        var started = Stopwatch.StartNew();
        using var client = await RawHttp.ConnectAsync(app.Address());

        await client.SendAsync(RawHttp.WebSocketHandshake(app.Address(), "/metrics/ws?family=requests_total"));
        await WaitForAsync(() => Value(app, "metrics_live_clients_dropped_total") == 1, DropDeadline);

        started.Elapsed.ShouldBeLessThan(DropDeadline);
        Value(app, "metrics_live_clients").ShouldBe(0);
        var held = await client.ReadToEndAsync(TimeSpan.FromSeconds(10));
        held.ShouldStartWith("HTTP/1.1 101 Switching Protocols\r\n");
        held.Length.ShouldBeLessThan(16 * 1024);
    }

    [Test]
    public async Task Sse_client_that_reads_once_a_second_is_never_dropped_and_misses_no_point()
    {
        await using var app = await StartAsync(sendTimeout: TimeSpan.FromSeconds(5));
        AddSeries(app.Registry(), 2_000);
        using var client = await RawHttp.ConnectAsync(app.Address());
        await client.SendAsync($"GET /metrics/stream?family=requests_total HTTP/1.1\r\nHost: {app.Address().Authority}\r\n\r\n");
        var received = new MemoryStream();
        var buffer = new byte[1 << 20];

        for (var second = 0; second < 8; second++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            while (client.Socket.Available > 0)
            {
                received.Write(buffer, 0, client.Socket.Receive(buffer));
            }
        }

        Value(app, "metrics_live_clients_dropped_total").ShouldBe(0);
        Value(app, "metrics_live_clients").ShouldBe(1);
        var events = CompleteEvents(Encoding.ASCII.GetString(received.ToArray()));
        events.Count.ShouldBeGreaterThanOrEqualTo(3);
        ShouldFollowOnWithoutGaps(events);
    }

    [Test]
    public async Task WebSocket_client_that_reads_once_a_second_is_never_dropped_and_misses_no_point()
    {
        await using var app = await StartAsync(sendTimeout: TimeSpan.FromSeconds(5));
        AddSeries(app.Registry(), 2_000);
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://{app.Address().Authority}/metrics/ws?family=requests_total"), CancellationToken.None);
        var messages = new List<JsonElement>();

        for (var second = 0; second < 8; second++)
        {
            messages.Add(await LiveSockets.ReceiveAsync(socket, TimeSpan.FromSeconds(10)));
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        Value(app, "metrics_live_clients_dropped_total").ShouldBe(0);
        Value(app, "metrics_live_clients").ShouldBe(1);
        ShouldFollowOnWithoutGaps(messages);
    }

    // Each message starts right after the last point of the one before: a client that fell behind gets one update
    // covering everything since, never a gap.
    private static void ShouldFollowOnWithoutGaps(List<JsonElement> messages)
    {
        messages[0].GetProperty("type").GetString().ShouldBe("history");
        for (var i = 1; i < messages.Count; i++)
        {
            messages[i].GetProperty("type").GetString().ShouldBe("update");
            messages[i].GetProperty("firstSequence").GetInt64().ShouldBe(messages[i - 1].GetProperty("lastSequence").GetInt64() + 1);
        }
    }

    /// <summary>The events whose last line has arrived, from a raw HTTP/1.1 response with chunked transfer encoding.</summary>
    private static List<JsonElement> CompleteEvents(string response)
    {
        var body = Dechunk(response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..]);
        var events = new List<JsonElement>();
        var blocks = body.Split("\n\n");
        // The last block is an event still arriving, or empty.
        foreach (var block in blocks[..^1])
        {
            var data = block.Split('\n').Single(line => line.StartsWith("data: ", StringComparison.Ordinal));
            events.Add(JsonDocument.Parse(data["data: ".Length..]).RootElement.Clone());
        }

        return events;
    }

    private static string Dechunk(string chunked)
    {
        var body = new StringBuilder();
        var position = 0;
        while (position < chunked.Length)
        {
            var lineEnd = chunked.IndexOf("\r\n", position, StringComparison.Ordinal);
            if (lineEnd < 0)
            {
                break;
            }

            var size = Convert.ToInt32(chunked[position..lineEnd], 16);
            var start = lineEnd + 2;
            body.Append(chunked, start, Math.Min(size, chunked.Length - start));
            position = start + size + 2;
        }

        return body.ToString();
    }

    private static void AddSeries(MetricRegistry registry, int count)
    {
        var routes = registry.CreateCounterFamily("requests", "Requests.", ["route"]);
        for (var i = 0; i < count; i++)
        {
            routes.WithLabels($"/a/rather/long/route/template/{i}").Inc();
        }
    }

    private static double Value(WebApplication app, string family) => app.Registry().ValueOf(family);

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            deadline.Elapsed.ShouldBeLessThan(timeout, "the condition did not hold in time");
            await Task.Delay(50);
        }
    }

    private static Task<WebApplication> StartAsync(TimeSpan sendTimeout) => LiveApplications.StartAsync(configure: options => options.LiveSendTimeout = sendTimeout);
}
