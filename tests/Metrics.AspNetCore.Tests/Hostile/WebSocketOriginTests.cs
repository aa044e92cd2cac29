using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Metrics.AspNetCore.Tests.Live;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Metrics.AspNetCore.Tests.Hostile;

/// <summary>
/// Browsers let any page open a WebSocket to any server and send the page's origin: a page of another site must not
/// read the live metrics through a visitor's browser.
/// </summary>
public sealed class WebSocketOriginTests
{
    private const string Query = "/metrics/ws?family=requests_total";

    [Test]
    public async Task Page_of_a_foreign_origin_gets_403_with_a_json_error_and_no_subscription()
    {
        await using var app = await StartAsync();
        using var client = await RawHttp.ConnectAsync(app.Address());

        await client.SendAsync(RawHttp.WebSocketHandshake(app.Address(), Query, origin: "https://attacker.example").Replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n", StringComparison.Ordinal));
        var answer = await client.ReadToEndAsync(TimeSpan.FromSeconds(10));

        answer.ShouldStartWith("HTTP/1.1 403 Forbidden\r\n");
        answer.ShouldContain("\r\nContent-Type: application/json; charset=utf-8\r\n");
        using var body = JsonDocument.Parse(answer[(answer.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..]);
        body.RootElement.GetProperty("error").GetString().ShouldBe("origin_not_allowed");
        body.RootElement.GetProperty("message").GetString().ShouldBe(
            "Pages from 'https://attacker.example' may not open this WebSocket: only the server's own origin and the configured allowed origins may.");
        Value(app, "metrics_live_clients").ShouldBe(0);
    }

    [TestCase("same-origin")]
    [TestCase("same-origin-default-port-spelled-out")]
    [TestCase("none")]
    public async Task Same_origin_pages_and_programs_without_an_origin_are_served(string origin)
    {
        await using var app = await StartAsync();
        var address = app.Address();
        var header = origin switch
        {
            "same-origin" => $"http://{address.Authority}",
            "same-origin-default-port-spelled-out" => $"HTTP://{address.Host.ToUpperInvariant()}:{address.Port}/",
            _ => null,
        };

        (await OpenAsync(app, header)).ShouldBe("history");
    }

    [Test]
    public async Task Origins_in_the_allowed_list_are_served_and_others_still_refused()
    {
        await using var app = await StartAsync(static options => options.LiveAllowedOrigins.Add("https://dashboard.example:8443"));

        (await OpenAsync(app, "https://dashboard.example:8443")).ShouldBe("history");
        (await OpenAsync(app, "https://dashboard.example")).ShouldBe("refused: 403");
        (await OpenAsync(app, "null")).ShouldBe("refused: 403");
    }

    [Test]
    public async Task Wildcard_allows_every_origin()
    {
        await using var app = await StartAsync(static options => options.LiveAllowedOrigins.Add("*"));

        (await OpenAsync(app, "https://anywhere.example")).ShouldBe("history");
    }

    [TestCase("https://dashboard.example/path")]
    [TestCase("ftp://dashboard.example")]
    [TestCase("dashboard.example")]
    public async Task Malformed_allowed_origin_stops_the_application_naming_the_entry(string origin)
    {
        var error = await Should.ThrowAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => StartAsync(options => options.LiveAllowedOrigins.Add(origin)));

        error.Message.ShouldContain($"PrometheusMetricsOptions.LiveAllowedOrigins entry '{origin}' is invalid");
    }

    private static async Task<string> OpenAsync(WebApplication app, string? origin)
    {
        using var socket = new ClientWebSocket();
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        socket.Options.CollectHttpResponseDetails = true;
        try
        {
            await socket.ConnectAsync(new Uri($"ws://{app.Address().Authority}{Query}"), CancellationToken.None);
        }
        catch (WebSocketException)
        {
            return $"refused: {(int)socket.HttpStatusCode}";
        }

        return (await LiveSockets.ReceiveAsync(socket)).GetProperty("type").GetString()!;
    }

    private static double Value(WebApplication app, string family) => app.Registry().ValueOf(family);

    private static async Task<WebApplication> StartAsync(Action<PrometheusMetricsOptions>? configure = null)
    {
        var app = await LiveApplications.StartAsync(new FakeTimeProvider(), configure);
        app.Registry().CreateCounter("requests", "Requests.");
        return app;
    }
}
