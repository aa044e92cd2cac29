using System.Buffers;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;

namespace Metrics.AspNetCore.Tests.Requests;

public sealed class BodyByteCountingTests
{
    private const string RequestBytes = "http_request_body_bytes_total";
    private const string ResponseBytes = "http_response_body_bytes_total";

    [Test]
    public async Task Bytes_read_and_written_through_the_streams_are_counted_exactly()
    {
        await using var app = await StartAsync(static app => app.MapPost("/v1/stream", static async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            await context.Response.Body.WriteAsync(new byte[(int)body.Length * 2]);
        }));

        using var response = await app.GetTestClient().PostAsync("/v1/stream", ChunkedContent.OfLength(3000));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsByteArrayAsync()).Length.ShouldBe(6000);
        app.Registry().ValueOf(RequestBytes, "/v1/stream").ShouldBe(3000);
        app.Registry().ValueOf(ResponseBytes, "/v1/stream").ShouldBe(6000);
    }

    [Test]
    public async Task Bytes_read_and_written_through_the_pipes_are_counted_exactly()
    {
        await using var app = await StartAsync(static app => app.MapPost("/v1/pipe", static async (HttpContext context) =>
        {
            var reader = context.Request.BodyReader;
            long total = 0;
            while (true)
            {
                var result = await reader.ReadAsync();
                total += result.Buffer.Length;
                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }

            var writer = context.Response.BodyWriter;
            writer.GetSpan(100)[..100].Fill((byte)'x');
            writer.Advance(100);
            await writer.WriteAsync(new byte[total]);
        }));

        using var response = await app.GetTestClient().PostAsync("/v1/pipe", ChunkedContent.OfLength(5000));

        (await response.Content.ReadAsByteArrayAsync()).Length.ShouldBe(5100);
        app.Registry().ValueOf(RequestBytes, "/v1/pipe").ShouldBe(5000);
        app.Registry().ValueOf(ResponseBytes, "/v1/pipe").ShouldBe(5100);
    }

    [Test]
    public async Task Only_the_bytes_the_handler_consumed_count_not_the_content_length()
    {
        await using var app = await StartAsync(static app =>
        {
            app.MapPost("/v1/peek-pipe", static async (HttpContext context) =>
            {
                var result = await context.Request.BodyReader.ReadAtLeastAsync(10);
                context.Request.BodyReader.AdvanceTo(result.Buffer.GetPosition(10), result.Buffer.End);
                return "ok";
            });
            app.MapPost("/v1/peek-stream", static async (HttpContext context) =>
            {
                await context.Request.Body.ReadExactlyAsync(new byte[6]);
                return "ok";
            });
        });
        var client = app.GetTestClient();

        using var pipe = await client.PostAsync("/v1/peek-pipe", new ByteArrayContent(new byte[1000]));
        using var stream = await client.PostAsync("/v1/peek-stream", new ByteArrayContent(new byte[1000]));

        pipe.Content.Headers.ContentLength.ShouldBe(2);
        stream.Content.Headers.ContentLength.ShouldBe(2);
        app.Registry().SeriesLines(RequestBytes).ShouldBe(["/v1/peek-pipe = 10", "/v1/peek-stream = 6"]);
        app.Registry().SeriesLines(ResponseBytes).ShouldBe(["/v1/peek-pipe = 2", "/v1/peek-stream = 2"]);
    }

    [Test]
    public async Task Json_bound_by_minimal_apis_and_the_json_result_are_counted()
    {
        await using var app = await StartAsync(static app => app.MapPost("/v1/chat", static (ChatRequest request) => new ChatReply($"echo {request.Prompt}")));
        var payload = """{"prompt":"hello"}""";

        using var response = await app.GetTestClient().PostAsync("/v1/chat", new StringContent(payload, Encoding.UTF8, "application/json"));

        var reply = await response.Content.ReadAsStringAsync();
        reply.ShouldBe("""{"text":"echo hello"}""");
        app.Registry().ValueOf(RequestBytes, "/v1/chat").ShouldBe(payload.Length);
        app.Registry().ValueOf(ResponseBytes, "/v1/chat").ShouldBe(reply.Length);
    }

    [Test]
    public async Task Streamed_server_sent_events_count_every_flushed_chunk()
    {
        await using var app = await StartAsync(static app => app.MapGet("/v1/events", static async (HttpContext context) =>
        {
            context.Response.ContentType = "text/event-stream";
            for (var i = 0; i < 5; i++)
            {
                await context.Response.WriteAsync($"data: token {i}\n\n");
                await context.Response.Body.FlushAsync();
            }
        }));

        using var response = await app.GetTestClient().GetAsync("/v1/events", HttpCompletionOption.ResponseHeadersRead);
        var events = await response.Content.ReadAsStringAsync();

        events.Length.ShouldBe(5 * "data: token 0\n\n".Length);
        app.Registry().ValueOf(ResponseBytes, "/v1/events").ShouldBe(events.Length);
    }

    [Test]
    public async Task Kestrel_bodies_read_and_written_through_streams_pipes_and_json_are_counted_once()
    {
        await using var app = await TestApplications.StartOnKestrelAsync(static app =>
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
        using var client = app.Client();

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
    public async Task Sent_files_count_their_length_once()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(path, new byte[12_345]);
            await using var app = await StartAsync(app => app.MapGet("/v1/files/{id}/content", (string id) => Results.File(path, "application/octet-stream")));

            var content = await app.GetTestClient().GetByteArrayAsync("/v1/files/a/content");

            content.Length.ShouldBe(12_345);
            app.Registry().ValueOf(ResponseBytes, "/v1/files/{id}/content").ShouldBe(12_345);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public async Task Body_objects_kept_past_the_request_refuse_to_work()
    {
        Stream? kept = null;
        await using var app = await StartAsync(app => app.MapPost("/v1/keep", async (HttpContext context) =>
        {
            kept = context.Request.Body;
            await context.Request.Body.ReadExactlyAsync(new byte[1]);
            return "ok";
        }));

        (await app.GetTestClient().PostAsync("/v1/keep", new ByteArrayContent([1, 2]))).StatusCode.ShouldBe(HttpStatusCode.OK);

        kept.ShouldNotBeNull();
        Should.Throw<ObjectDisposedException>(() => kept.ReadByte());
    }

    [Test]
    public async Task Server_bodies_are_restored_when_the_request_completes()
    {
        Stream? inside = null;
        Stream? outside = null;
        await using var app = await TestApplications.StartAsync(app =>
        {
            app.Use(async (context, next) =>
            {
                var before = context.Request.Body;
                await next(context);
                outside = ReferenceEquals(before, context.Request.Body) ? context.Request.Body : null;
            });
            app.UsePrometheusRequestMetrics();
            app.MapPost("/v1/body", (HttpContext context) =>
            {
                inside = context.Request.Body;
                return "ok";
            });
        });

        (await app.GetTestClient().PostAsync("/v1/body", new ByteArrayContent([1]))).StatusCode.ShouldBe(HttpStatusCode.OK);

        outside.ShouldNotBeNull();
        inside.ShouldNotBeNull();
        inside.ShouldNotBeSameAs(outside);
    }

    private static Task<WebApplication> StartAsync(Action<WebApplication> map) =>
        TestApplications.StartAsync(app =>
        {
            app.UsePrometheusRequestMetrics();
            map(app);
        });

    internal sealed record ChatRequest(string Prompt);

    internal sealed record ChatReply(string Text);

    internal sealed record Message(string Text);
}
