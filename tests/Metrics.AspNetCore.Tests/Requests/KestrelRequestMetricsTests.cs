using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Metrics.AspNetCore.Tests.Requests;

/// <summary>The request metrics on real Kestrel, whose body features and abort signal differ from TestServer's.</summary>
public sealed class KestrelRequestMetricsTests
{
    [Test]
    public async Task Kestrel_bodies_read_and_written_through_streams_pipes_and_json_are_counted_once()
    {
        await using var app = await KestrelApplications.StartAsync(static app =>
        {
            app.UsePrometheusRequestMetrics();
            app.MapPost("/stream", static async (HttpContext context) =>
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body);
                await context.Response.Body.WriteAsync(new byte[body.Length + 1]);
            });
            app.MapPost("/pipe", static async (HttpContext context) =>
            {
                var read = await context.Request.BodyReader.ReadAtLeastAsync(int.MaxValue);
                var length = read.Buffer.Length;
                context.Request.BodyReader.AdvanceTo(read.Buffer.End);
                await context.Response.BodyWriter.WriteAsync(new byte[length + 2]);
            });
            app.MapPost("/json", static (Message message) => new Message(message.Text + "!"));
        });
        using var client = new HttpClient { BaseAddress = app.Address() };

        using var stream = await client.PostAsync("/stream", ChunkedContent.OfLength(4096));
        using var pipe = await client.PostAsync("/pipe", ChunkedContent.OfLength(70_000));
        using var json = await client.PostAsync("/json", new StringContent("""{"text":"hi"}""", Encoding.UTF8, "application/json"));

        (await stream.Content.ReadAsByteArrayAsync()).Length.ShouldBe(4097);
        (await pipe.Content.ReadAsByteArrayAsync()).Length.ShouldBe(70_002);
        (await json.Content.ReadAsStringAsync()).ShouldBe("""{"text":"hi!"}""");
        app.Registry().SeriesLines("http_request_body_bytes_total").ShouldBe(["/stream = 4096", "/pipe = 70000", "/json = 13"]);
        app.Registry().SeriesLines("http_response_body_bytes_total").ShouldBe(["/stream = 4097", "/pipe = 70002", "/json = 14"]);
    }

    [Test]
    public async Task Kestrel_client_that_disconnects_mid_request_is_recorded_as_499()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await KestrelApplications.StartAsync(app =>
        {
            app.UsePrometheusRequestMetrics();
            app.MapGet("/v1/chat", async (HttpContext context) =>
            {
                started.SetResult();
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            });
        });
        using var client = new HttpClient { BaseAddress = app.Address() };
        using var cancellation = new CancellationTokenSource();

        var request = client.GetAsync("/v1/chat", cancellation.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cancellation.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => request);
        await Eventually.ShouldBecomeAsync(() => app.Registry().SeriesLines("http_requests_total"), ["/v1/chat,GET,499 = 1"]);
        app.Registry().ValueOf("http_requests_in_flight").ShouldBe(0);
    }

    internal sealed record Message(string Text);
}
