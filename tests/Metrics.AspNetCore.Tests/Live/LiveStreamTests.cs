using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Metrics.AspNetCore.Tests.Live;

public sealed class LiveStreamTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private FakeTimeProvider _clock = null!;

    [SetUp]
    public void CreateClock() => _clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Test]
    public async Task Stream_sends_the_window_first_and_then_one_update_a_second()
    {
        await using var app = await StartAsync();
        var requests = app.Registry().CreateCounter("requests", "Requests.");
        using var client = new HttpClient { BaseAddress = app.Address() };
        using var response = await client.GetAsync("/metrics/stream?family=requests_total", HttpCompletionOption.ResponseHeadersRead);
        response.Content.Headers.ContentType!.ToString().ShouldBe("text/event-stream; charset=utf-8");
        response.Headers.CacheControl!.ToString().ShouldBe("no-store");
        using var events = new ServerSentEvents(await response.Content.ReadAsStreamAsync());

        var (firstId, first) = await events.ReadAsync();
        firstId.ShouldBe("0");
        first.GetProperty("type").GetString().ShouldBe("history");
        first.GetProperty("timestamps").GetArrayLength().ShouldBe(1);

        for (var second = 1; second <= 3; second++)
        {
            requests.Inc(second * 10);
            _clock.Advance(Second);
            var (id, update) = await events.ReadAsync();
            id.ShouldBe(second.ToString(System.Globalization.CultureInfo.InvariantCulture));
            update.GetProperty("type").GetString().ShouldBe("update");
            update.GetProperty("firstSequence").GetInt64().ShouldBe(second);
            update.GetProperty("timestamps").EnumerateArray().Select(t => t.GetDateTimeOffset()).ShouldBe([_clock.GetUtcNow()]);
            update.GetProperty("families")[0].GetProperty("series")[0].GetProperty("rate").EnumerateArray().Select(r => r.GetDouble()).ShouldBe([second * 10.0]);
        }

        await Should.ThrowAsync<OperationCanceledException>(() => events.ReadAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Test]
    public async Task Stream_updates_carry_the_quantiles_of_a_native_histogram()
    {
        await using var app = await StartAsync();
        // A bucket factor of 2 gives schema 0, whose buckets include (2, 4] and (4, 8].
        var latency = app.Registry().CreateNativeHistogram("latency_seconds", "Latency.", new NativeHistogramOptions { BucketFactor = 2 });
        using var client = new HttpClient { BaseAddress = app.Address() };
        using var response = await client.GetAsync("/metrics/stream?family=latency_seconds", HttpCompletionOption.ResponseHeadersRead);
        using var events = new ServerSentEvents(await response.Content.ReadAsStreamAsync());
        await events.ReadAsync();
        for (var i = 0; i < 10; i++)
        {
            latency.Observe(3);
            latency.Observe(6);
        }

        _clock.Advance(Second);
        var (_, update) = await events.ReadAsync();

        // By hand: 10 in (2, 4] and 10 in (4, 8]; p50 tops (2, 4] at 4, p95 is 9 of 10 into (4, 8], 7.6, and p99 9.8 of 10, 7.92.
        var series = update.GetProperty("families")[0].GetProperty("series")[0];
        series.GetProperty("quantiles").EnumerateArray().Select(q => q.GetProperty("values")[0].GetDouble()).ShouldBe([4, 7.6, 7.92]);
        series.GetProperty("average")[0].GetDouble().ShouldBe(4.5);
    }

    [Test]
    public async Task WebSocket_pushes_the_same_documents_and_its_close_frees_the_client()
    {
        await using var app = await StartAsync();
        var requests = app.Registry().CreateCounter("requests", "Requests.");
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(WebSocketUri(app, "?family=requests_total"), CancellationToken.None);

        (await LiveSockets.ReceiveAsync(socket)).GetProperty("type").GetString().ShouldBe("history");
        requests.Inc(7);
        _clock.Advance(Second);
        var update = await LiveSockets.ReceiveAsync(socket);
        update.GetProperty("type").GetString().ShouldBe("update");
        update.GetProperty("families")[0].GetProperty("series")[0].GetProperty("rate")[0].GetDouble().ShouldBe(7);
        LiveClients(app).ShouldBe(1);

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);

        socket.State.ShouldBe(WebSocketState.Closed);
        await Eventually.ShouldBecomeAsync(() => LiveClients(app), 0);
    }

    [Test]
    public async Task Plain_request_to_the_WebSocket_endpoint_gets_400()
    {
        await using var app = await StartAsync();
        using var client = new HttpClient { BaseAddress = app.Address() };

        using var response = await client.GetAsync("/metrics/ws");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("\"message\":\"This endpoint speaks WebSocket");
    }

    [Test]
    public async Task Stream_with_an_unknown_family_gets_400_before_any_event()
    {
        await using var app = await StartAsync();
        using var client = new HttpClient { BaseAddress = app.Address() };

        using var response = await client.GetAsync("/metrics/stream?family=nope");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        error.RootElement.GetProperty("message").GetString().ShouldBe("Unknown metric family 'nope': the registry has no family of that name (counter names end in _total).");
        LiveClients(app).ShouldBe(0);
    }

    [Test]
    public async Task Hundred_clients_that_connect_and_disconnect_leave_no_subscriber()
    {
        await using var app = await StartAsync();
        app.Registry().CreateCounter("requests", "Requests.");
        var clients = new List<IDisposable>();
        for (var i = 0; i < 50; i++)
        {
            var http = new HttpClient { BaseAddress = app.Address() };
            var response = await http.GetAsync("/metrics/stream?family=requests_total", HttpCompletionOption.ResponseHeadersRead);
            var events = new ServerSentEvents(await response.Content.ReadAsStreamAsync());
            (await events.ReadAsync()).Data.GetProperty("type").GetString().ShouldBe("history");
            clients.AddRange([events, response, http]);

            var socket = new ClientWebSocket();
            await socket.ConnectAsync(WebSocketUri(app, "?family=requests_total"), CancellationToken.None);
            (await LiveSockets.ReceiveAsync(socket)).GetProperty("type").GetString().ShouldBe("history");
            clients.Add(socket);
        }

        LiveClients(app).ShouldBe(100);
        _clock.Advance(Second);

        foreach (var client in clients)
        {
            client.Dispose();
        }

        await Eventually.ShouldBecomeAsync(() => LiveClients(app), 0);
        DroppedClients(app).ShouldBe(0);
    }

    [Test]
    public async Task Stream_of_a_family_that_is_unregistered_ends_and_the_stream_goes_on_for_others()
    {
        await using var app = await StartAsync();
        using var meter = new System.Diagnostics.Metrics.Meter("Metrics.Tests.Live." + Guid.NewGuid().ToString("N"));
        using var bridge = app.Registry().AddMeterBridge(new MeterBridgeOptions { Meters = [meter.Name] });
        meter.CreateCounter<long>("jobs.done").Add(3);
        var requests = app.Registry().CreateCounter("requests", "Requests.");
        using var client = new HttpClient { BaseAddress = app.Address() };
        using var bridged = new ServerSentEvents(await client.GetStreamAsync("/metrics/stream?family=jobs_done_total"));
        using var other = new ServerSentEvents(await client.GetStreamAsync("/metrics/stream?family=requests_total"));
        (await bridged.ReadAsync()).Data.GetProperty("type").GetString().ShouldBe("history");
        (await other.ReadAsync()).Data.GetProperty("type").GetString().ShouldBe("history");

        // Disposing the meter unregisters its family; the next broadcast can no longer read that query.
        meter.Dispose();
        requests.Inc(5);
        _clock.Advance(Second);

        await Should.ThrowAsync<EndOfStreamException>(() => bridged.ReadAsync());
        var (_, update) = await other.ReadAsync();
        update.GetProperty("families")[0].GetProperty("series")[0].GetProperty("rate")[0].GetDouble().ShouldBe(5);
        await Eventually.ShouldBecomeAsync(() => LiveClients(app), 1);
    }

    [Test]
    public async Task Client_that_stops_reading_is_dropped_and_disconnected()
    {
        await using var app = await StartAsync();
        var routes = app.Registry().CreateCounterFamily("requests", "Requests.", ["route"]);
        for (var i = 0; i < 2_000; i++)
        {
            routes.WithLabels($"/a/rather/long/route/template/{i}").Inc();
        }

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await socket.ConnectAsync(app.Address().Host, app.Address().Port);
        await socket.SendAsync(Encoding.ASCII.GetBytes($"GET /metrics/stream?family=requests_total HTTP/1.1\r\nHost: {app.Address().Authority}\r\n\r\n"));
        await Eventually.ShouldBecomeAsync(() => LiveClients(app), 1);

        // Each message carries 2,000 series; once the socket buffers are full, the server's writes wait, its queue fills
        // within 8 more seconds, and the client is dropped.
        for (var second = 0; second < 600 && DroppedClients(app) == 0; second++)
        {
            _clock.Advance(Second);
            await Task.Delay(10);
        }

        DroppedClients(app).ShouldBe(1);
        LiveClients(app).ShouldBe(0);
        socket.ReceiveBufferSize = 1 << 20;
        var buffer = new byte[1 << 16];
        var received = 1;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (received > 0)
        {
            try
            {
                received = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            }
            catch (SocketException exception) when (exception.SocketErrorCode == SocketError.ConnectionReset)
            {
                received = 0;
            }
        }
    }

    private Task<WebApplication> StartAsync() => LiveApplications.StartAsync(_clock);

    private static Uri WebSocketUri(WebApplication app, string query) => new($"ws://{app.Address().Authority}/metrics/ws{query}");

    private static double LiveClients(WebApplication app) => app.Registry().ValueOf("metrics_live_clients");

    private static double DroppedClients(WebApplication app) => app.Registry().ValueOf("metrics_live_clients_dropped_total");
}
