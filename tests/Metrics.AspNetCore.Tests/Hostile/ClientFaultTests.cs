using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Metrics.AspNetCore.Tests.Hostile;

/// <summary>
/// On real Kestrel: what a client does wrong is recorded as the client's fault (499, 408, 413), never as a 500, and
/// logs no stack trace above Debug, so no client can raise a service's 5xx rate or fill its error log. What the
/// application does wrong is still a 500.
/// </summary>
public sealed class ClientFaultTests
{
    private const string Requests = "http_requests_total";

    [TestCase(true, TestName = "Client_that_disconnects_mid_body_is_recorded_as_499_and_logs_no_stack_trace(reset)")]
    [TestCase(false, TestName = "Client_that_disconnects_mid_body_is_recorded_as_499_and_logs_no_stack_trace(close)")]
    public async Task Client_that_disconnects_mid_body_is_recorded_as_499_and_logs_no_stack_trace(bool reset)
    {
        var logs = new CapturedLogs();
        await using var app = await StartAsync(logs);
        using var client = await RawHttp.ConnectAsync(app.Address());

        await client.SendAsync($"POST /v1/upload HTTP/1.1\r\nHost: {app.Address().Authority}\r\nContent-Length: 1000\r\n\r\n{new string('a', 100)}");
        await Eventually.ShouldBecomeAsync(() => app.Registry().ValueOf("http_requests_in_flight"), 1);
        if (reset)
        {
            client.Reset();
        }
        else
        {
            client.Socket.Close();
        }

        await Eventually.ShouldBecomeAsync(() => app.Registry().SeriesLines(Requests), ["/v1/upload,POST,499 = 1"]);
        app.Registry().ValueOf("http_requests_in_flight").ShouldBe(0);
        logs.StackTracesAboveDebug.ShouldBeEmpty();
    }

    [Test]
    public async Task Body_that_arrives_too_slowly_is_answered_and_recorded_as_408_and_logs_no_stack_trace()
    {
        var logs = new CapturedLogs();
        await using var app = await StartAsync(logs, static limits =>
            limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 1000, gracePeriod: TimeSpan.FromSeconds(2)));
        using var client = await RawHttp.ConnectAsync(app.Address());

        await client.SendAsync($"POST /v1/upload HTTP/1.1\r\nHost: {app.Address().Authority}\r\nContent-Length: 100000\r\n\r\n{new string('a', 10)}");
        var answer = await client.ReadToEndAsync(TimeSpan.FromSeconds(30));

        answer.ShouldStartWith("HTTP/1.1 408 Request Timeout\r\n");
        await Eventually.ShouldBecomeAsync(() => app.Registry().SeriesLines(Requests), ["/v1/upload,POST,408 = 1"]);
        logs.StackTracesAboveDebug.ShouldBeEmpty();
    }

    [TestCase("Content-Length: 5000\r\n\r\n", TestName = "Body_over_the_size_limit_is_answered_and_recorded_as_413_and_logs_no_stack_trace(Content-Length)")]
    [TestCase("Transfer-Encoding: chunked\r\n\r\n7d0\r\n", TestName = "Body_over_the_size_limit_is_answered_and_recorded_as_413_and_logs_no_stack_trace(chunked)")]
    public async Task Body_over_the_size_limit_is_answered_and_recorded_as_413_and_logs_no_stack_trace(string framing)
    {
        var logs = new CapturedLogs();
        await using var app = await StartAsync(logs, static limits => limits.MaxRequestBodySize = 1000);
        using var client = await RawHttp.ConnectAsync(app.Address());

        await client.SendAsync($"POST /v1/upload HTTP/1.1\r\nHost: {app.Address().Authority}\r\nConnection: close\r\n{framing}{new string('a', 2000)}\r\n0\r\n\r\n");
        var answer = await client.ReadToEndAsync(TimeSpan.FromSeconds(30));

        answer.ShouldStartWith("HTTP/1.1 413 Payload Too Large\r\n");
        await Eventually.ShouldBecomeAsync(() => app.Registry().SeriesLines(Requests), ["/v1/upload,POST,413 = 1"]);
        logs.StackTracesAboveDebug.ShouldBeEmpty();
    }

    [Test]
    public async Task Handler_that_throws_on_its_own_is_still_500_and_its_exception_reaches_the_server()
    {
        var logs = new CapturedLogs();
        await using var app = await StartAsync(logs);
        using var client = new HttpClient { BaseAddress = app.Address() };

        using var response = await client.PostAsync("/v1/broken", new StringContent("{}"));

        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        app.Registry().SeriesLines(Requests).ShouldBe(["/v1/broken,POST,500 = 1"]);
        logs.Entries.ShouldContain(entry => entry.Level == LogLevel.Error && entry.Exception is InvalidOperationException && entry.Exception.Message == "the handler broke");
    }

    [Test]
    public async Task Client_that_goes_away_while_the_handler_waits_on_its_token_is_499_and_not_an_error()
    {
        var logs = new CapturedLogs();
        await using var app = await StartAsync(logs);
        using var client = await RawHttp.ConnectAsync(app.Address());

        await client.SendAsync($"GET /v1/wait HTTP/1.1\r\nHost: {app.Address().Authority}\r\n\r\n");
        await Eventually.ShouldBecomeAsync(() => app.Registry().ValueOf("http_requests_in_flight"), 1);
        client.Reset();

        await Eventually.ShouldBecomeAsync(() => app.Registry().SeriesLines(Requests), ["/v1/wait,GET,499 = 1"]);
        // The middleware logs once it has recorded, so the entry may follow the count by a moment.
        await Eventually.TrueAsync(
            () => logs.Entries.Any(static entry => entry.Level == LogLevel.Debug && entry.Message == "The request ended by the client's fault and is recorded as 499."),
            "the 499 is logged at Debug");
        logs.StackTracesAboveDebug.ShouldBeEmpty();
    }

    private static Task<WebApplication> StartAsync(CapturedLogs logs, Action<KestrelServerLimits>? limits = null) =>
        TestApplications.StartOnKestrelAsync(
            static app =>
            {
                app.UsePrometheusRequestMetrics();
                app.MapPost("/v1/upload", static async (HttpContext context) =>
                {
                    using var body = new MemoryStream();
                    await context.Request.Body.CopyToAsync(body, context.RequestAborted);
                    return body.Length;
                });
                app.MapPost("/v1/broken", static string () => throw new InvalidOperationException("the handler broke"));
                app.MapGet("/v1/wait", static async (HttpContext context) => await Task.Delay(Timeout.Infinite, context.RequestAborted));
            },
            kestrel =>
            {
                kestrel.Listen(IPAddress.Loopback, 0);
                limits?.Invoke(kestrel.Limits);
            },
            addMetrics: true,
            builder =>
            {
                builder.Logging.AddProvider(logs);
                builder.Logging.SetMinimumLevel(LogLevel.Trace);
            });
}
