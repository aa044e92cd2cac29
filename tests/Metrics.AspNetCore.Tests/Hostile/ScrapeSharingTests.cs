using System.Buffers;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Metrics.AspNetCore.Tests.Hostile;

/// <summary>A flood of scrapers costs one collection at a time: scrapes that arrive during a collection wait for it and send its bytes.</summary>
public sealed class ScrapeSharingTests
{
    private const string PrometheusAccept =
        "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Test]
    public async Task Fifty_concurrent_scrapes_during_one_collection_all_get_its_exact_bytes_and_run_it_once()
    {
        await using var app = await TestApplications.StartOnKestrelAsync(static app => app.MapPrometheusMetrics());
        var registry = app.Registry();
        registry.CreateCounter("jobs", "Jobs done.").Inc(3);
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var collections = 0;
        using var hold = registry.AddBeforeCollectCallback(() =>
        {
            if (Interlocked.Increment(ref collections) == 1)
            {
                entered.Set();
                release.Wait(Deadline);
            }
        });
        var cache = app.Services.GetRequiredService<ScrapeCache>();
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 100 }) { BaseAddress = app.Address() };

        var leader = ScrapeAsync(client);
        entered.Wait(Deadline).ShouldBeTrue();
        var joined = Enumerable.Range(0, 49).Select(_ => ScrapeAsync(client)).ToArray();
        await WaitUntilAsync(() => cache.WaitingScrapes(ExpositionFormat.OpenMetrics, ScrapeEncoding.Gzip) == 49);
        release.Set();
        string[] bodies = [await leader.WaitAsync(Deadline), .. await Task.WhenAll(joined).WaitAsync(Deadline)];

        bodies.ShouldAllBe(body => body == bodies[0]);
        bodies[0].ShouldBe("""
            # TYPE jobs counter
            # HELP jobs Jobs done.
            jobs_total 3
            # TYPE metrics_scrape_collections counter
            # HELP metrics_scrape_collections Collections run to answer scrapes; scrapes that arrived while one of their format and encoding ran shared it.
            metrics_scrape_collections_total 1
            # EOF

            """);
        collections.ShouldBe(1);
    }

    [Test]
    public async Task Failed_collection_gives_every_waiting_scraper_a_json_500_and_the_next_scrape_succeeds()
    {
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var renders = 0;
        ScrapeCache? cache = null;
        await using var app = await TestApplications.StartOnKestrelAsync(
            static app => app.MapPrometheusMetrics(),
            static kestrel => kestrel.Listen(IPAddress.Loopback, 0),
            addMetrics: true,
            builder => builder.Services.AddSingleton(provider => cache = new ScrapeCache(provider.GetRequiredService<MetricRegistry>(), new ScrapeCacheOptions { MinimumInterval = TimeSpan.Zero }, (format, output) =>
            {
                if (Interlocked.Increment(ref renders) == 1)
                {
                    entered.Set();
                    release.Wait(Deadline);
                    throw new InvalidOperationException("the renderer broke");
                }

                output.Write("recovered 1\n"u8);
            }, TimeProvider.System)));
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 100 }) { BaseAddress = app.Address() };

        var scrapes = new List<Task<HttpResponseMessage>> { client.GetAsync("/metrics") };
        entered.Wait(Deadline).ShouldBeTrue();
        scrapes.AddRange(Enumerable.Range(0, 9).Select(_ => client.GetAsync("/metrics")));
        await WaitUntilAsync(() => cache!.WaitingScrapes(ExpositionFormat.PrometheusText, ScrapeEncoding.Identity) == 9);
        release.Set();

        foreach (var scrape in scrapes)
        {
            using var response = await scrape.WaitAsync(Deadline);
            response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
            response.Content.Headers.ContentType!.ToString().ShouldBe("application/json; charset=utf-8");
            (await response.Content.ReadAsStringAsync()).ShouldBe("""{"error":"exposition_failed","message":"Rendering the metrics failed; the error is in the server log."}""");
        }

        (await client.GetStringAsync("/metrics")).ShouldBe("recovered 1\n");
        renders.ShouldBe(2);
    }

    [Test]
    public async Task Configured_cache_duration_serves_one_collection_to_later_scrapes_until_it_passes()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var app = await TestApplications.StartAsync(
            static app => app.MapPrometheusMetrics(),
            static options => options.ScrapeCacheDuration = TimeSpan.FromSeconds(1),
            builder => builder.Services.AddSingleton(new MetricRegistry(new MetricRegistryOptions { TimeProvider = clock })));
        var jobs = app.Registry().CreateCounter("jobs", "Jobs done.");
        var client = app.Client();

        var first = await client.GetStringAsync("/metrics");
        jobs.Inc();
        var cached = await client.GetStringAsync("/metrics");
        clock.Advance(TimeSpan.FromSeconds(1));
        var fresh = await client.GetStringAsync("/metrics");

        cached.ShouldBe(first);
        first.ShouldContain("jobs_total 0\n");
        fresh.ShouldContain("jobs_total 1\n");
        fresh.ShouldContain("metrics_scrape_collections_total 2\n");
    }

    [Test]
    public async Task Head_answers_without_running_a_collection()
    {
        await using var app = await TestApplications.StartAsync(static app => app.MapPrometheusMetrics());
        var client = app.Client();

        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/metrics"));
        var scrape = await client.GetStringAsync("/metrics");

        head.StatusCode.ShouldBe(HttpStatusCode.OK);
        scrape.ShouldEndWith("metrics_scrape_collections_total 1\n");
    }

    private static async Task<string> ScrapeAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Accept.ParseAdd(PrometheusAccept);
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        using var response = await client.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentEncoding.ShouldBe(["gzip"]);
        await using var gzip = new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "the condition did not hold in time");
            await Task.Delay(5);
        }
    }
}
