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
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(2);

    // Four send timeouts: time for a reader to be probed, and to be dropped were it taken for one that reads nothing.
    private static readonly TimeSpan ReadingTime = SendTimeout * 4;

    // Generous against a loaded machine: the deadlines under test are a few seconds.
    private static readonly TimeSpan DropDeadline = TimeSpan.FromSeconds(20);

    [TestCase("stream")]
    [TestCase("ws")]
    public async Task Client_that_reads_nothing_holds_about_half_its_window_unread_and_is_dropped_within_the_send_timeout(string endpoint)
    {
        await using var app = await StartAsync(sendTimeout: SendTimeout);
        AddSeries(app.Registry(), 2_000);
        using var client = await RawHttp.ConnectAsync(app.Address());

        var (held, droppedAfter) = await HoldUntilDroppedAsync(app, client, LiveRequest(app, endpoint));

        Value(app, "metrics_live_clients").ShouldBe(0);
        droppedAfter.ShouldBeLessThan(DropDeadline);
        // Each message is over 100 KB; the server stopped once the client's window was down to half, plus the chunk in
        // hand and its framing: never the whole window, as it would without the flow control.
        held.ShouldBeLessThanOrEqualTo(HeldLimit(client));
    }

    [Test]
    public async Task Sse_client_that_reads_nothing_of_a_tiny_query_is_padded_until_it_must_show_it_and_dropped()
    {
        await using var app = await StartAsync(sendTimeout: SendTimeout);
        app.Registry().CreateCounter("requests", "Requests.");
        using var client = await RawHttp.ConnectAsync(app.Address());

        var (held, droppedAfter) = await HoldUntilDroppedAsync(app, client, LiveRequest(app, "stream"));

        Value(app, "metrics_live_clients").ShouldBe(0);
        // One send timeout without a sign of reading, the padding, then one more in which the client could have read it.
        droppedAfter.ShouldBeGreaterThanOrEqualTo(SendTimeout * 2);
        droppedAfter.ShouldBeLessThan(DropDeadline);
        held.ShouldBeLessThanOrEqualTo(HeldLimit(client));
        var stream = await client.ReadToEndAsync(TimeSpan.FromSeconds(10));
        stream.ShouldContain("\r\n: ");
    }

    [Test]
    public async Task WebSocket_client_that_reads_nothing_is_dropped_by_its_unanswered_ping_while_its_buffers_are_nearly_empty()
    {
        await using var app = await StartAsync(sendTimeout: TimeSpan.FromSeconds(1));
        app.Registry().CreateCounter("requests", "Requests.");
        var started = Stopwatch.StartNew();
        using var client = await RawHttp.ConnectAsync(app.Address());

        await client.SendAsync(LiveRequest(app, "ws"));
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
        await using var app = await StartAsync(sendTimeout: SendTimeout);
        AddSeries(app.Registry(), 2_000);

        using var client = await RawHttp.ConnectAsync(app.Address());

        var events = CompleteEvents(await ReadStreamOnceASecondAsync(app, client, ReadingTime));

        Value(app, "metrics_live_clients_dropped_total").ShouldBe(0);
        Value(app, "metrics_live_clients").ShouldBe(1);
        events.Count.ShouldBeGreaterThanOrEqualTo(3);
        ShouldFollowOnWithoutGaps(events);
    }

    [Test]
    public async Task Sse_client_of_a_tiny_query_that_reads_once_a_second_is_padded_never_dropped_and_misses_no_point()
    {
        await using var app = await StartAsync(sendTimeout: SendTimeout);
        app.Registry().CreateCounter("requests", "Requests.");

        using var client = await RawHttp.ConnectAsync(app.Address());

        var stream = await ReadStreamOnceASecondAsync(app, client, ReadingTime);

        Value(app, "metrics_live_clients_dropped_total").ShouldBe(0);
        Value(app, "metrics_live_clients").ShouldBe(1);
        // Its small messages never shrink its window, so it was padded to show that it reads; it did, every time.
        stream.ShouldContain("\r\n: ");
        var events = CompleteEvents(stream);
        events.Count.ShouldBeGreaterThanOrEqualTo(6);
        ShouldFollowOnWithoutGaps(events);
    }

    [TestCase(0)]
    [TestCase(2_000)]
    public async Task WebSocket_client_that_reads_once_a_second_is_never_dropped_and_misses_no_point(int series)
    {
        await using var app = await StartAsync(sendTimeout: SendTimeout);
        AddSeries(app.Registry(), series);
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://{app.Address().Authority}/metrics/ws?family=requests_total"), CancellationToken.None);
        var messages = new List<JsonElement>();

        for (var second = 0; second < ReadingTime.TotalSeconds; second++)
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

    // What a client that reads nothing can be left holding: the server sends while the window it offers is at least
    // half the largest it offered, which is about its receive buffer; then the chunk in hand; and up to a chunk more,
    // as its kernel's accounting of segments leaves the window a little under the buffer. Without the flow control it
    // would hold all of the buffer.
    private static int HeldLimit(RawHttp client) => client.Socket.ReceiveBufferSize / 2 + 2 * LiveSession.ChunkBytes;

    /// <summary>The request for <c>requests_total</c> of the SSE <c>stream</c> or the <c>ws</c> WebSocket endpoint.</summary>
    private static string LiveRequest(WebApplication app, string endpoint) => endpoint == "ws"
        ? RawHttp.WebSocketHandshake(app.Address(), "/metrics/ws?family=requests_total")
        : $"GET /metrics/stream?family=requests_total HTTP/1.1\r\nHost: {app.Address().Authority}\r\n\r\n";

    /// <summary>The raw response of the stream of <c>requests_total</c>, read once a second for <paramref name="duration"/>.</summary>
    private static async Task<string> ReadStreamOnceASecondAsync(WebApplication app, RawHttp client, TimeSpan duration)
    {
        await client.SendAsync(LiveRequest(app, "stream"));
        var received = new MemoryStream();
        var buffer = new byte[1 << 20];
        for (var second = 0; second < duration.TotalSeconds; second++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            while (client.Socket.Available > 0)
            {
                received.Write(buffer, 0, client.Socket.Receive(buffer));
            }
        }

        return Encoding.ASCII.GetString(received.ToArray());
    }

    /// <summary>
    /// Sends <paramref name="request"/> and reads nothing until the client is dropped: the most bytes its socket held
    /// unread meanwhile, and how long it took.
    /// </summary>
    private static async Task<(int Held, TimeSpan DroppedAfter)> HoldUntilDroppedAsync(WebApplication app, RawHttp client, string request)
    {
        var started = Stopwatch.StartNew();
        await client.SendAsync(request);
        var held = 0;
        while (Value(app, "metrics_live_clients_dropped_total") == 0)
        {
            started.Elapsed.ShouldBeLessThan(DropDeadline, "the client was not dropped in time");
            held = Math.Max(held, client.Socket.Available);
            await Task.Delay(20);
        }

        var droppedAfter = started.Elapsed;
        TestContext.Out.WriteLine($"held {held} bytes unread (receive buffer {client.Socket.ReceiveBufferSize}), dropped after {droppedAfter.TotalSeconds:F1} s");
        Value(app, "metrics_live_clients_dropped_total").ShouldBe(1);
        return (held, droppedAfter);
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
