using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Support;

/// <summary>
/// A provider the test scripts byte by byte, on its own loopback listener. The gateway reaches it through a
/// configured base URL and key, the same path as a real provider, and it records what the gateway sent.
/// </summary>
internal sealed class ScriptedUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ScriptedUpstream(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Starts the upstream; GET /v1/models answers 200 and every other request runs <paramref name="completion"/>.</summary>
    public static async Task<ScriptedUpstream> StartAsync(RequestDelegate completion)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        ScriptedUpstream? upstream = null;
        app.Run(async context =>
        {
            if (context.Request.Path == "/v1/models")
            {
                await context.Response.WriteAsync("""{"object":"list","data":[]}""");
                return;
            }

            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            upstream!.Requests.Enqueue(new RecordedRequest(
                context.Request.Path,
                context.Request.Headers.Authorization.ToString(),
                context.Request.Headers["x-api-key"].ToString(),
                body));
            await completion(context);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        upstream = new ScriptedUpstream(app, new Uri(address));
        return upstream;
    }

    /// <summary>Writes <paramref name="chunks"/> as separate, flushed writes of a <c>text/event-stream</c> response.</summary>
    public static async Task WriteChunksAsync(HttpContext context, IEnumerable<byte[]> chunks)
    {
        context.Response.ContentType = "text/event-stream";
        await context.Response.StartAsync();
        foreach (var chunk in chunks)
        {
            await context.Response.Body.WriteAsync(chunk);
            await context.Response.Body.FlushAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public sealed record RecordedRequest(string Path, string Authorization, string ApiKey, string Body);
}
