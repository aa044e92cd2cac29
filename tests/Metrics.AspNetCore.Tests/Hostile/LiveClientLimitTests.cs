using System.Net;
using System.Net.WebSockets;
using Metrics.AspNetCore.Tests.Live;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Metrics.AspNetCore.Tests.Hostile;

/// <summary>The live endpoints serve a bounded number of clients, and clients with one query cost one serialization.</summary>
public sealed class LiveClientLimitTests
{
    private FakeTimeProvider _clock = null!;

    [SetUp]
    public void CreateClock() => _clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Test]
    public async Task Clients_past_the_limit_get_503_with_a_json_error_and_retry_after_and_are_counted()
    {
        await using var app = await StartAsync(clientLimit: 3);
        app.Registry().CreateCounter("requests", "Requests.");
        using var client = new HttpClient { BaseAddress = app.Address() };
        using var first = new ServerSentEvents(await client.GetStreamAsync("/metrics/stream?family=requests_total"));
        using var second = new ServerSentEvents(await client.GetStreamAsync("/metrics/stream?family=requests_total"));
        using var third = new ClientWebSocket();
        await third.ConnectAsync(new Uri($"ws://{app.Address().Authority}/metrics/ws?family=requests_total"), CancellationToken.None);
        await Eventually.ShouldBecomeAsync(() => Value(app, "metrics_live_clients"), 3);

        using var refusedStream = await client.GetAsync("/metrics/stream?family=requests_total");
        using var refusedSocket = await RawHttp.ConnectAsync(app.Address());
        await refusedSocket.SendAsync(RawHttp.WebSocketHandshake(app.Address(), "/metrics/ws?family=requests_total") .Replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n", StringComparison.Ordinal));
        var refusedHandshake = await refusedSocket.ReadToEndAsync(TimeSpan.FromSeconds(10));

        const string body = """{"error":"too_many_clients","message":"The server already serves 3 live clients, the most it allows; try again later."}""";
        refusedStream.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        refusedStream.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(10));
        (await refusedStream.Content.ReadAsStringAsync()).ShouldBe(body);
        refusedHandshake.ShouldStartWith("HTTP/1.1 503 Service Unavailable\r\n");
        refusedHandshake.ShouldEndWith("\r\n\r\n" + body);
        Value(app, "metrics_live_clients_rejected_total").ShouldBe(2);
        Value(app, "metrics_live_clients").ShouldBe(3);

        second.Dispose();
        await Eventually.ShouldBecomeAsync(() => Value(app, "metrics_live_clients"), 2);
        using var admitted = new ServerSentEvents(await client.GetStreamAsync("/metrics/stream?family=requests_total"));
        (await admitted.ReadAsync()).Data.GetProperty("type").GetString().ShouldBe("history");
        Value(app, "metrics_live_clients_dropped_total").ShouldBe(0);
    }

    [Test]
    public async Task Clients_with_the_same_query_share_one_serialized_window_and_one_update_per_tick()
    {
        await using var app = await StartAsync(clientLimit: 100);
        var requests = app.Registry().CreateCounter("requests", "Requests.");
        var hub = app.Services.GetRequiredService<LiveUpdateHub>();
        using var client = new HttpClient { BaseAddress = app.Address() };
        var streams = new List<ServerSentEvents>();
        var sockets = new List<ClientWebSocket>();
        for (var i = 0; i < 10; i++)
        {
            streams.Add(new ServerSentEvents(await client.GetStreamAsync("/metrics/stream?family=requests_total&window=1h")));
            var socket = new ClientWebSocket();
            await socket.ConnectAsync(new Uri($"ws://{app.Address().Authority}/metrics/ws?family=requests_total&window=1h"), CancellationToken.None);
            sockets.Add(socket);
        }

        var windows = new List<string>();
        foreach (var stream in streams)
        {
            windows.Add((await stream.ReadAsync()).Data.GetRawText());
        }

        foreach (var socket in sockets)
        {
            windows.Add((await LiveSockets.ReceiveAsync(socket)).GetRawText());
        }

        hub.SerializedMessages.ShouldBe(1);
        windows.Distinct().Count().ShouldBe(1);

        requests.Inc(4);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var updates = new List<string>();
        foreach (var stream in streams)
        {
            updates.Add((await stream.ReadAsync()).Data.GetRawText());
        }

        foreach (var socket in sockets)
        {
            updates.Add((await LiveSockets.ReceiveAsync(socket)).GetRawText());
        }

        hub.SerializedMessages.ShouldBe(2);
        updates.Distinct().ShouldHaveSingleItem().ShouldContain("\"rate\":[4]");
        foreach (var item in streams)
        {
            item.Dispose();
        }

        foreach (var socket in sockets)
        {
            socket.Dispose();
        }
    }

    private static double Value(WebApplication app, string family) => app.Registry().ValueOf(family);

    private Task<WebApplication> StartAsync(int clientLimit) => LiveApplications.StartAsync(_clock, options => options.LiveClientLimit = clientLimit);
}
