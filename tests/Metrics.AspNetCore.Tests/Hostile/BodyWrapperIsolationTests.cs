using System.IO.Pipelines;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Metrics.AspNetCore.Tests.Hostile;

/// <summary>
/// The middleware's body wrappers are reused by one connection's requests only: a body object that application code
/// kept past its request can never read or write another client's request.
/// </summary>
public sealed class BodyWrapperIsolationTests
{
    [Test]
    public async Task Body_objects_kept_from_a_finished_request_refuse_to_work_during_a_request_on_another_connection()
    {
        Stream? keptRequestBody = null;
        PipeReader? keptReader = null;
        Stream? keptResponseBody = null;
        var insideB = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseB = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await TestApplications.StartOnKestrelAsync(app =>
        {
            app.UsePrometheusRequestMetrics();
            app.MapPost("/v1/keep", async (HttpContext context) =>
            {
                keptRequestBody = context.Request.Body;
                keptReader = context.Request.BodyReader;
                keptResponseBody = context.Response.Body;
                await context.Request.Body.ReadExactlyAsync(new byte[4]);
                return "kept";
            });
            app.MapPost("/v1/hold", async (HttpContext context) =>
            {
                insideB.SetResult();
                await releaseB.Task;
                using var reader = new StreamReader(context.Request.Body, Encoding.ASCII);
                return await reader.ReadToEndAsync();
            });
        });
        using var clientA = new HttpClient { BaseAddress = app.Address() };
        using var clientB = new HttpClient { BaseAddress = app.Address() };
        (await clientA.PostAsync("/v1/keep", new StringContent("AAAA"))).StatusCode.ShouldBe(HttpStatusCode.OK);

        var requestB = clientB.PostAsync("/v1/hold", new StringContent("secret of client B"));
        await insideB.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Should.Throw<ObjectDisposedException>(() => keptRequestBody!.ReadByte());
        await Should.ThrowAsync<ObjectDisposedException>(async () => await keptRequestBody!.ReadExactlyAsync(new byte[18]));
        await Should.ThrowAsync<ObjectDisposedException>(async () => await keptReader!.ReadAsync());
        await Should.ThrowAsync<ObjectDisposedException>(async () => await keptResponseBody!.WriteAsync("from A"u8.ToArray()));
        releaseB.SetResult();

        using var responseB = await requestB.WaitAsync(TimeSpan.FromSeconds(10));
        (await responseB.Content.ReadAsStringAsync()).ShouldBe("secret of client B");
        app.Registry().ValueOf("http_request_body_bytes_total", "/v1/hold").ShouldBe(18);
        app.Registry().ValueOf("http_request_body_bytes_total", "/v1/keep").ShouldBe(4);
    }

    [Test]
    public async Task Keep_alive_requests_of_one_connection_reuse_its_counters_and_count_each_body_exactly()
    {
        await using var app = await TestApplications.StartOnKestrelAsync(app =>
        {
            app.UsePrometheusRequestMetrics();
            app.MapPost("/v1/echo", static async (HttpContext context) =>
            {
                using var reader = new StreamReader(context.Request.Body, Encoding.ASCII);
                return await reader.ReadToEndAsync();
            });
        }, static listen => listen.UsePrometheusConnectionMetrics());
        using var client = new HttpClient { BaseAddress = app.Address() };

        for (var i = 1; i <= 20; i++)
        {
            (await (await client.PostAsync("/v1/echo", new StringContent(new string('x', i)))).Content.ReadAsStringAsync()).ShouldBe(new string('x', i));
        }

        app.Registry().ValueOf("http_request_body_bytes_total", "/v1/echo").ShouldBe(210);
        app.Registry().ValueOf("http_connections_total").ShouldBe(1);
    }
}
