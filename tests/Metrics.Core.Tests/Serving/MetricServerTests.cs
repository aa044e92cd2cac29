using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Metrics.Tests.Serving;

/// <summary>The standalone server over a real loopback socket, on a port the kernel just handed out.</summary>
[NonParallelizable]
public sealed class MetricServerTests
{
    private const string ExpectedText =
        "# HELP jobs_total Jobs done.\n" +
        "# TYPE jobs_total counter\n" +
        "jobs_total 3\n" +
        "# HELP metrics_scrape_collections_total Collections run to answer scrapes; scrapes that arrived while one of their format and encoding ran shared it.\n" +
        "# TYPE metrics_scrape_collections_total counter\n" +
        "metrics_scrape_collections_total 1\n";

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static readonly HttpClient Client = new(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None }) { Timeout = Deadline };

    [Test]
    public async Task GET_serves_the_registry_as_prometheus_text_with_the_endpoint_headers()
    {
        await using var server = Start(Registry(), out var url);

        using var response = await Client.GetAsync(url);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.ToString().ShouldBe("text/plain; version=0.0.4; charset=utf-8");
        response.Content.Headers.ContentLength.ShouldBe(Encoding.UTF8.GetByteCount(ExpectedText));
        response.Content.Headers.ContentEncoding.ShouldBeEmpty();
        response.Headers.CacheControl!.ToString().ShouldBe("no-store");
        response.Headers.Vary.ShouldBe(["Accept", "Accept-Encoding"]);
        (await response.Content.ReadAsStringAsync()).ShouldBe(ExpectedText);
    }

    [Test]
    public async Task Prometheus_accept_header_gets_openmetrics()
    {
        await using var server = Start(Registry(), out var url);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");

        using var response = await Client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.ToString().ShouldBe("application/openmetrics-text; version=1.0.0; charset=utf-8");
        var body = await response.Content.ReadAsStringAsync();
        body.ShouldStartWith("# TYPE jobs counter\n# HELP jobs Jobs done.\njobs_total 3\n");
        body.ShouldEndWith("# EOF\n");
    }

    [Test]
    public async Task Gzip_is_sent_when_accepted_and_decompresses_to_the_exact_text()
    {
        await using var server = Start(Registry(), out var url);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip");

        using var response = await Client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentEncoding.ShouldBe(["gzip"]);
        await using var gzip = new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        (await reader.ReadToEndAsync()).ShouldBe(ExpectedText);
    }

    [Test]
    public async Task HEAD_answers_the_headers_of_GET_without_running_a_collection()
    {
        var registry = Registry();
        await using var server = Start(registry, out var url);
        using var request = new HttpRequestMessage(HttpMethod.Head, url);
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip");

        using var response = await Client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.ToString().ShouldBe("text/plain; version=0.0.4; charset=utf-8");
        response.Content.Headers.ContentEncoding.ShouldBe(["gzip"]);
        (await response.Content.ReadAsByteArrayAsync()).ShouldBeEmpty();
        registry.Collect().Find("metrics_scrape_collections_total")!.Series[0].Value.ShouldBe(0);
    }

    [TestCase("POST")]
    [TestCase("PUT")]
    [TestCase("DELETE")]
    public async Task Other_methods_get_405_with_allow_and_the_endpoint_json_error(string method)
    {
        await using var server = Start(Registry(), out var url);

        using var response = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));

        response.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
        response.Content.Headers.Allow.ShouldBe(["GET", "HEAD"]);
        response.Content.Headers.ContentType!.ToString().ShouldBe("application/json; charset=utf-8");
        (await response.Content.ReadAsStringAsync()).ShouldBe("""{"error":"method_not_allowed","message":"This endpoint answers GET and HEAD only."}""");
    }

    [TestCase("/")]
    [TestCase("/metrics/extra")]
    [TestCase("/metricsx")]
    public async Task Paths_other_than_the_metrics_path_get_404(string path)
    {
        await using var server = Start(Registry(), out var url);

        using var response = await Client.GetAsync(new Uri(url, path));

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).ShouldBe("""{"error":"not_found","message":"This server answers the metrics path only."}""");
    }

    [Test]
    public async Task A_failing_rendering_gets_500_with_the_json_error_and_is_reported_to_the_caller()
    {
        var registry = Registry();
        var cache = new ScrapeCache(registry, new ScrapeCacheOptions(), (_, _) => throw new InvalidOperationException("broken renderer"), TimeProvider.System);
        var reported = new List<Exception>();
        await using var server = MetricServer.Start(cache, new MetricServerOptions
        {
            Url = $"http://127.0.0.1:{FreeLoopbackPort()}/metrics",
            OnError = exception =>
            {
                lock (reported)
                {
                    reported.Add(exception);
                }
            },
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, server.Url);
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip");

        using var response = await Client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        response.Content.Headers.ContentEncoding.ShouldBeEmpty();
        (await response.Content.ReadAsStringAsync()).ShouldBe("""{"error":"exposition_failed","message":"Rendering the metrics failed."}""");
        lock (reported)
        {
            reported.Select(exception => exception.Message).ShouldBe(["broken renderer"]);
        }
    }

    [Test]
    public async Task Stopping_waits_for_scrapes_in_progress_and_releases_the_port()
    {
        var registry = Registry();
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        using var hold = registry.AddBeforeCollectCallback(() =>
        {
            entered.Set();
            release.Wait(Deadline);
        });
        var server = Start(registry, out var url);
        var scrape = Client.GetAsync(url);
        entered.Wait(Deadline).ShouldBeTrue();

        var stop = server.StopAsync();
        await Task.Delay(200);
        stop.IsCompleted.ShouldBeFalse("the scrape in progress is still being answered");
        release.Set();
        await stop.WaitAsync(Deadline);

        using (var response = await scrape.WaitAsync(Deadline))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Should.Throw<SocketException>(() => socket.Connect(IPAddress.Loopback, url.Port)).SocketErrorCode.ShouldBe(SocketError.ConnectionRefused);
        await using var again = MetricServer.Start(registry, new MetricServerOptions { Url = url.AbsoluteUri });
    }

    [Test]
    public async Task A_taken_port_fails_the_start()
    {
        await using var first = Start(Registry(), out var url);

        Should.Throw<HttpListenerException>(() => MetricServer.Start(Registry(), new MetricServerOptions { Url = url.AbsoluteUri }));
    }

    [TestCase("")]
    [TestCase("metrics")]
    [TestCase("https://127.0.0.1:9464/metrics")]
    [TestCase("http://127.0.0.1:0/metrics")]
    [TestCase("http://127.0.0.1:9464/metrics?x=1")]
    public void An_unusable_url_throws_naming_it(string url)
    {
        var exception = Should.Throw<ArgumentException>(() => MetricServer.Start(Registry(), new MetricServerOptions { Url = url }));

        exception.Message.ShouldContain(url.Length == 0 ? "empty" : $"'{url}'");
    }

    private static MetricRegistry Registry()
    {
        var registry = new MetricRegistry();
        registry.CreateCounter("jobs", "Jobs done.").Inc(3);
        return registry;
    }

    private static MetricServer Start(MetricRegistry registry, out Uri url)
    {
        var server = MetricServer.Start(registry, new MetricServerOptions { Url = $"http://127.0.0.1:{FreeLoopbackPort()}/metrics" });
        url = server.Url;
        return server;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
