using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Metrics.Benchmarks;

/// <summary>
/// Not a BenchmarkDotNet benchmark: the two scrape servers over one registry, for benchmarks/scrape-servers.sh to load
/// with wrk. The registry holds 1,000 series (10 counter and gauge families of 100 labeled series); the standalone
/// <see cref="MetricServer"/> and the adapter's endpoint on Kestrel both render it with no minimum interval between
/// collections, so each measures its server plus a collection per request (concurrent requests still share one).
/// </summary>
internal static class ScrapeServerTargets
{
    public static async Task<int> RunAsync(int serverPort, int kestrelPort)
    {
        var registry = new MetricRegistry();
        string[] labels = ["route", "method", "status"];
        for (var f = 0; f < 10; f++)
        {
            for (var s = 0; s < 100; s++)
            {
                var route = "/v1/route" + s;
                var status = (200 + (s % 5)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (f % 2 == 0)
                {
                    registry.CreateCounterFamily($"family_{f}_total", "Counter family.", labels).WithLabels(route, "GET", status).Inc(s + f);
                }
                else
                {
                    registry.CreateGaugeFamily($"family_{f}", "Gauge family.", labels).WithLabels(route, "POST", status).Set(s + 0.5);
                }
            }
        }

        var noPacing = new ScrapeCacheOptions { MinimumInterval = TimeSpan.Zero };
        await using var server = MetricServer.Start(registry, new MetricServerOptions { Url = $"http://127.0.0.1:{serverPort}/metrics", Scrape = noPacing });

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{kestrelPort}");
        builder.Services.AddSingleton(registry);
        builder.Services.AddSingleton(new ScrapeCache(registry, noPacing));
        await using var app = builder.Build();
        app.MapPrometheusMetrics();
        await app.StartAsync();
        Console.WriteLine($"ready: MetricServer {server.Url}, Kestrel http://127.0.0.1:{kestrelPort}/metrics");
        await app.WaitForShutdownAsync(CancellationToken.None);
        return 0;
    }
}
