using System.Buffers;
using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.Time.Testing;

namespace Metrics.Tests.Exposition;

public sealed class ScrapeCacheTests
{
    private const string CollectionsHelp =
        "# HELP metrics_scrape_collections_total Collections run to answer scrapes; scrapes that arrived while one of their format and encoding ran shared it.\n" +
        "# TYPE metrics_scrape_collections_total counter\n";

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Test]
    public async Task Scrapes_arriving_during_a_collection_wait_for_it_and_all_get_its_exact_bytes()
    {
        var registry = new MetricRegistry();
        registry.CreateCounter("jobs", "Jobs done.").Inc(3);
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var calls = 0;
        using var hold = registry.AddBeforeCollectCallback(() =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                entered.Set();
                release.Wait(Deadline);
            }
        });
        var cache = new ScrapeCache(registry);

        var leader = Task.Run(() => cache.RenderAsync(ExpositionFormat.PrometheusText, ScrapeEncoding.Identity));
        entered.Wait(Deadline).ShouldBeTrue();
        var joined = Enumerable.Range(0, 20).Select(_ => cache.RenderAsync(ExpositionFormat.PrometheusText, ScrapeEncoding.Identity)).ToArray();
        await WaitUntilAsync(() => cache.WaitingScrapes(ExpositionFormat.PrometheusText, ScrapeEncoding.Identity) == 20);
        release.Set();
        ScrapeResult[] results = [await leader.WaitAsync(Deadline), .. await Task.WhenAll(joined).WaitAsync(Deadline)];

        var expected = "# HELP jobs_total Jobs done.\n# TYPE jobs_total counter\njobs_total 3\n" + CollectionsHelp + "metrics_scrape_collections_total 1\n";
        results.Select(result => Encoding.UTF8.GetString(result.Content.Span)).ShouldAllBe(text => text == expected);
        results.ShouldAllBe(result => result.ContentType == MetricsExposition.PrometheusTextContentType);
        calls.ShouldBe(1);
        Collections(registry).ShouldBe(1);
        foreach (var result in results)
        {
            result.Dispose();
        }
    }

    [Test]
    public async Task Without_a_cache_a_scrape_after_the_last_collection_ended_runs_a_new_one()
    {
        var registry = new MetricRegistry();
        var jobs = registry.CreateCounter("jobs", "Jobs done.");
        var cache = new ScrapeCache(registry, Unpaced());

        using var first = await cache.RenderAsync(ExpositionFormat.PrometheusText, ScrapeEncoding.Identity);
        jobs.Inc();
        using var second = await cache.RenderAsync(ExpositionFormat.PrometheusText, ScrapeEncoding.Identity);

        Text(first).ShouldContain("jobs_total 0\n");
        Text(second).ShouldContain("jobs_total 1\n");
        Text(second).ShouldEndWith("metrics_scrape_collections_total 2\n");
        Collections(registry).ShouldBe(2);
    }

    [Test]
    public async Task Cache_serves_a_finished_collection_until_its_duration_has_passed()
    {
        var clock = new ManualTimeProvider();
        var registry = new MetricRegistry(new MetricRegistryOptions { TimeProvider = clock });
        var jobs = registry.CreateCounter("jobs", "Jobs done.");
        var cache = new ScrapeCache(registry, new ScrapeCacheOptions { CacheDuration = TimeSpan.FromSeconds(1), MinimumInterval = TimeSpan.Zero });

        using var first = await cache.RenderAsync(ExpositionFormat.OpenMetrics, ScrapeEncoding.Identity);
        jobs.Inc();
        clock.Advance(TimeSpan.FromMilliseconds(999));
        using var cached = await cache.RenderAsync(ExpositionFormat.OpenMetrics, ScrapeEncoding.Identity);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        using var fresh = await cache.RenderAsync(ExpositionFormat.OpenMetrics, ScrapeEncoding.Identity);

        Text(cached).ShouldBe(Text(first));
        Text(first).ShouldContain("jobs_total 0\n");
        Text(fresh).ShouldContain("jobs_total 1\n");
        Collections(registry).ShouldBe(2);
        cache.CacheDuration.ShouldBe(TimeSpan.FromSeconds(1));
    }

    [Test]
    public async Task Each_format_and_encoding_has_its_own_collection()
    {
        var clock = new ManualTimeProvider();
        var registry = new MetricRegistry(new MetricRegistryOptions { TimeProvider = clock });
        registry.CreateGauge("queue_depth", "Jobs waiting.").Set(2.5);
        var cache = new ScrapeCache(registry, new ScrapeCacheOptions { CacheDuration = TimeSpan.FromMinutes(1) });

        using var text = await cache.RenderAsync(ExpositionFormat.PrometheusText, ScrapeEncoding.Identity);
        using var openMetrics = await cache.RenderAsync(ExpositionFormat.OpenMetrics, ScrapeEncoding.Identity);
        using var gzipText = await cache.RenderAsync(ExpositionFormat.PrometheusText, ScrapeEncoding.Gzip);
        using var again = await cache.RenderAsync(ExpositionFormat.OpenMetrics, ScrapeEncoding.Identity);

        Collections(registry).ShouldBe(3);
        Text(openMetrics).ShouldEndWith("# EOF\n");
        openMetrics.ContentType.ShouldBe(MetricsExposition.OpenMetricsContentType);
        Text(again).ShouldBe(Text(openMetrics));
        gzipText.Encoding.ShouldBe(ScrapeEncoding.Gzip);
        Gunzip(gzipText).ShouldBe(
            "# HELP metrics_scrape_collections_total Collections run to answer scrapes; scrapes that arrived while one of their format and encoding ran shared it.\n" +
            "# TYPE metrics_scrape_collections_total counter\nmetrics_scrape_collections_total 3\n" +
            "# HELP queue_depth Jobs waiting.\n# TYPE queue_depth gauge\nqueue_depth 2.5\n");
        Text(text).ShouldContain("metrics_scrape_collections_total 1\n");
    }

    [Test]
    public async Task Failed_collection_fails_every_scrape_that_waited_and_the_next_scrape_collects_again()
    {
        var registry = new MetricRegistry();
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var calls = 0;
        var failure = new InvalidOperationException("renderer broke");
        var cache = new ScrapeCache(registry, Unpaced(), (format, output) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                entered.Set();
                release.Wait(Deadline);
                throw failure;
            }

            output.Write("ok\n"u8);
        }, TimeProvider.System);

        var leader = Task.Run(() => cache.RenderAsync(ExpositionFormat.PrometheusText, ScrapeEncoding.Gzip));
        entered.Wait(Deadline).ShouldBeTrue();
        var joined = Enumerable.Range(0, 5).Select(_ => cache.RenderAsync(ExpositionFormat.PrometheusText, ScrapeEncoding.Gzip)).ToArray();
        await WaitUntilAsync(() => cache.WaitingScrapes(ExpositionFormat.PrometheusText, ScrapeEncoding.Gzip) == 5);
        release.Set();

        foreach (var scrape in joined.Prepend(leader))
        {
            (await Should.ThrowAsync<InvalidOperationException>(scrape.WaitAsync(Deadline))).ShouldBeSameAs(failure);
        }

        using var next = await cache.RenderAsync(ExpositionFormat.PrometheusText, ScrapeEncoding.Gzip);
        Gunzip(next).ShouldBe("ok\n");
        calls.ShouldBe(2);
    }

    [Test]
    public async Task Cancelled_wait_leaves_the_collection_running_for_the_others()
    {
        var registry = new MetricRegistry();
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var cache = new ScrapeCache(registry, Unpaced(), (format, output) =>
        {
            entered.Set();
            release.Wait(Deadline);
            output.Write("done\n"u8);
        }, TimeProvider.System);
        using var cancellation = new CancellationTokenSource();

        var leader = Task.Run(() => cache.RenderAsync(ExpositionFormat.PrometheusText, ScrapeEncoding.Identity));
        entered.Wait(Deadline).ShouldBeTrue();
        var cancelled = cache.RenderAsync(ExpositionFormat.PrometheusText, ScrapeEncoding.Identity, cancellation.Token);
        var patient = cache.RenderAsync(ExpositionFormat.PrometheusText, ScrapeEncoding.Identity);
        await WaitUntilAsync(() => cache.WaitingScrapes(ExpositionFormat.PrometheusText, ScrapeEncoding.Identity) == 2);
        await cancellation.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(cancelled.WaitAsync(Deadline));
        cache.WaitingScrapes(ExpositionFormat.PrometheusText, ScrapeEncoding.Identity).ShouldBe(1);
        release.Set();

        using var led = await leader.WaitAsync(Deadline);
        using var waited = await patient.WaitAsync(Deadline);
        Text(led).ShouldBe("done\n");
        Text(waited).ShouldBe("done\n");
    }

    [Test]
    public async Task Held_result_keeps_its_bytes_while_later_collections_rent_and_return_buffers()
    {
        var registry = new MetricRegistry();
        var jobs = registry.CreateCounter("jobs", "Jobs done.");
        var cache = new ScrapeCache(registry, Unpaced());
        using var held = await cache.RenderAsync(ExpositionFormat.PrometheusText, ScrapeEncoding.Identity);
        var original = held.Content.ToArray();

        for (var i = 0; i < 200; i++)
        {
            jobs.Inc();
            using var later = await cache.RenderAsync(ExpositionFormat.PrometheusText, ScrapeEncoding.Identity);
            Text(later).ShouldContain($"jobs_total {i + 1}\n");
        }

        held.Content.ToArray().ShouldBe(original);
        Text(held).ShouldContain("jobs_total 0\n");
    }

    [Test]
    public async Task Disposed_result_refuses_its_bytes_and_a_second_dispose_is_harmless()
    {
        var cache = new ScrapeCache(new MetricRegistry(), new ScrapeCacheOptions { CacheDuration = TimeSpan.FromHours(1) });
        var first = await cache.RenderAsync(ExpositionFormat.PrometheusText, ScrapeEncoding.Identity);
        using var second = await cache.RenderAsync(ExpositionFormat.PrometheusText, ScrapeEncoding.Identity);

        first.Dispose();
        first.Dispose();

        Should.Throw<ObjectDisposedException>(() => first.Content);
        Text(second).ShouldEndWith("metrics_scrape_collections_total 1\n");
    }

    [Test]
    public void Unknown_format_encoding_or_negative_duration_is_refused()
    {
        var registry = new MetricRegistry();
        var cache = new ScrapeCache(registry);

        Should.Throw<ArgumentOutOfRangeException>(() => cache.RenderAsync((ExpositionFormat)7, ScrapeEncoding.Identity)).ParamName.ShouldBe("format");
        Should.Throw<ArgumentOutOfRangeException>(() => cache.RenderAsync(ExpositionFormat.OpenMetrics, (ScrapeEncoding)3)).ParamName.ShouldBe("encoding");
        Should.Throw<ArgumentOutOfRangeException>(() => new ScrapeCache(registry, new ScrapeCacheOptions { CacheDuration = TimeSpan.FromTicks(-1) }));
        Should.Throw<ArgumentOutOfRangeException>(() => new ScrapeCache(registry, new ScrapeCacheOptions { MinimumInterval = TimeSpan.FromTicks(-1) }));
    }

    [Test]
    public async Task Scrapes_sooner_than_the_minimum_interval_wait_for_the_next_collection_and_see_every_value_recorded_before_them()
    {
        var pacing = new FakeTimeProvider();
        var registry = new MetricRegistry();
        var jobs = registry.CreateCounter("jobs", "Jobs done.");
        var cache = new ScrapeCache(registry, new ScrapeCacheOptions(), static (format, output) => { }, pacing);
        cache.MinimumInterval.ShouldBe(TimeSpan.FromMilliseconds(100));
        var real = new ScrapeCache(registry, new ScrapeCacheOptions { MinimumInterval = TimeSpan.FromMilliseconds(100) });

        using (await cache.RenderAsync(ExpositionFormat.PrometheusText, ScrapeEncoding.Identity))
        {
        }

        pacing.Advance(TimeSpan.FromMilliseconds(40));
        var paced = Enumerable.Range(0, 5).Select(_ => cache.RenderAsync(ExpositionFormat.PrometheusText, ScrapeEncoding.Identity)).ToArray();
        await WaitUntilAsync(() => cache.WaitingScrapes(ExpositionFormat.PrometheusText, ScrapeEncoding.Identity) == 4);
        pacing.Advance(TimeSpan.FromMilliseconds(59));
        await Task.Delay(50);
        paced.ShouldAllBe(scrape => !scrape.IsCompleted);
        pacing.Advance(TimeSpan.FromMilliseconds(1));
        foreach (var result in await Task.WhenAll(paced).WaitAsync(Deadline))
        {
            result.Dispose();
        }

        Collections(registry).ShouldBe(2);
        using var first = await real.RenderAsync(ExpositionFormat.OpenMetrics, ScrapeEncoding.Identity);
        jobs.Inc();
        using var second = await real.RenderAsync(ExpositionFormat.OpenMetrics, ScrapeEncoding.Identity);
        Text(second).ShouldContain("jobs_total 1\n");
        Collections(registry).ShouldBe(4);
    }

    private static ScrapeCacheOptions Unpaced() => new() { MinimumInterval = TimeSpan.Zero };

    private static double Collections(MetricRegistry registry) => registry.Collect().Find("metrics_scrape_collections_total")!.Series[0].Value;

    private static string Text(ScrapeResult result) => Encoding.UTF8.GetString(result.Content.Span);

    private static string Gunzip(ScrapeResult result)
    {
        using var input = new MemoryStream(result.Content.ToArray());
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd();
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
