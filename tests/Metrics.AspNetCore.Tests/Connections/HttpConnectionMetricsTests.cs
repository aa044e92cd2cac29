using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Metrics.AspNetCore.Tests.Connections;

public sealed class HttpConnectionMetricsTests
{
    [Test]
    public async Task Three_keep_alive_connections_are_active_until_they_close()
    {
        await using var app = await TestApplications.StartOnKestrelAsync(
            static app => app.MapGet("/ping", static () => "pong"),
            static listen => listen.UsePrometheusConnectionMetrics());
        var registry = app.Registry();
        var clients = new List<TcpClient>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var client = new TcpClient();
                clients.Add(client);
                await client.ConnectAsync(app.Address().Host, app.Address().Port);
                // Two requests on each connection: keep-alive reuses it, so it still counts once.
                await PingAsync(client);
                await PingAsync(client);
            }

            registry.ValueOf("http_connections_active").ShouldBe(3);
            registry.ValueOf("http_connections_total").ShouldBe(3);
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }

        await Eventually.ShouldBecomeAsync(() => registry.ValueOf("http_connections_active"), 0.0);
        registry.ValueOf("http_connections_total").ShouldBe(3);
    }

    [Test]
    public async Task Endpoint_defaults_track_the_connections_of_every_endpoint()
    {
        await using var app = await TestApplications.StartOnKestrelAsync(
            static app => app.MapGet("/ping", static () => "pong"),
            static kestrel =>
            {
                kestrel.ConfigureEndpointDefaults(static listen => listen.UsePrometheusConnectionMetrics());
                kestrel.Listen(IPAddress.Loopback, 0);
            },
            addMetrics: true);

        using (var client = new TcpClient())
        {
            await client.ConnectAsync(app.Address().Host, app.Address().Port);
            await PingAsync(client);
            app.Registry().ValueOf("http_connections_active").ShouldBe(1);
        }

        await Eventually.ShouldBecomeAsync(() => app.Registry().ValueOf("http_connections_active"), 0.0);
        app.Registry().ValueOf("http_connections_total").ShouldBe(1);
    }

    [Test]
    public async Task Starting_without_AddPrometheusMetrics_fails_with_what_to_do()
    {
        var exception = await Should.ThrowAsync<InvalidOperationException>(() => TestApplications.StartOnKestrelAsync(
            static app => app.MapGet("/ping", static () => "pong"),
            static kestrel => kestrel.Listen(IPAddress.Loopback, 0, static listen => listen.UsePrometheusConnectionMetrics()),
            addMetrics: false));

        exception.Message.ShouldBe(
            "UsePrometheusConnectionMetrics needs the services of AddPrometheusMetrics: call builder.Services.AddPrometheusMetrics() when configuring services.");
    }

    private static async Task PingAsync(TcpClient client)
    {
        var stream = client.GetStream();
        await stream.WriteAsync("GET /ping HTTP/1.1\r\nHost: localhost\r\n\r\n"u8.ToArray());
        var response = new StringBuilder();
        var buffer = new byte[1024];
        // The body is chunked: the response ends with the last chunk, "pong", then the zero-length terminator.
        while (!response.ToString().EndsWith("pong\r\n0\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            read.ShouldBeGreaterThan(0, "the server closed a keep-alive connection");
            response.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        response.ToString().ShouldStartWith("HTTP/1.1 200 OK\r\n");
    }
}
