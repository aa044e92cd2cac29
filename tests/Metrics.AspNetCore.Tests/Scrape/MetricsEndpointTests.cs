using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Metrics.Testing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Metrics.AspNetCore.Tests.Endpoints;

public sealed class MetricsEndpointTests
{
    private const string PrometheusTwoAccept =
        "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    // Each scrape counts itself in metrics_scrape_collections_total: these are the first scrape of a new application.
    private const string ExpectedText = """
        # HELP jobs_total Jobs done.
        # TYPE jobs_total counter
        jobs_total 3
        # HELP metrics_scrape_collections_total Collections run to answer scrapes; scrapes that arrived while one of their format and encoding ran shared it.
        # TYPE metrics_scrape_collections_total counter
        metrics_scrape_collections_total 1
        # HELP queue_depth Jobs waiting.
        # TYPE queue_depth gauge
        queue_depth 2.5

        """;

    private const string ExpectedOpenMetrics = """
        # TYPE jobs counter
        # HELP jobs Jobs done.
        jobs_total 3
        # TYPE metrics_scrape_collections counter
        # HELP metrics_scrape_collections Collections run to answer scrapes; scrapes that arrived while one of their format and encoding ran shared it.
        metrics_scrape_collections_total 1
        # TYPE queue_depth gauge
        # HELP queue_depth Jobs waiting.
        queue_depth 2.5
        # EOF

        """;

    [Test]
    public async Task Scrape_without_Accept_is_prometheus_text_with_exact_bytes_and_no_store()
    {
        await using var app = await StartWithJobsAsync();

        using var response = await app.GetTestClient().GetAsync("/metrics");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.ToString().ShouldBe("text/plain; version=0.0.4; charset=utf-8");
        response.Headers.CacheControl!.ToString().ShouldBe("no-store");
        response.Headers.Vary.ShouldBe(["Accept", "Accept-Encoding"]);
        response.Content.Headers.ContentEncoding.ShouldBeEmpty();
        (await response.Content.ReadAsStringAsync()).ShouldBe(ExpectedText);
    }

    [Test]
    public async Task Prometheus_two_Accept_header_gets_openmetrics_with_exact_bytes()
    {
        await using var app = await StartWithJobsAsync();

        using var response = await SendAsync(app, HttpMethod.Get, "/metrics", accept: PrometheusTwoAccept);

        response.Content.Headers.ContentType!.ToString().ShouldBe("application/openmetrics-text; version=1.0.0; charset=utf-8");
        (await response.Content.ReadAsStringAsync()).ShouldBe(ExpectedOpenMetrics);
    }

    [Test]
    public async Task Text_preferred_by_quality_gets_prometheus_text()
    {
        await using var app = await StartWithJobsAsync();

        using var response = await SendAsync(app, HttpMethod.Get, "/metrics", accept: "application/openmetrics-text;q=0.2,text/plain;version=0.0.4;q=0.9");

        response.Content.Headers.ContentType!.ToString().ShouldBe("text/plain; version=0.0.4; charset=utf-8");
        (await response.Content.ReadAsStringAsync()).ShouldBe(ExpectedText);
    }

    [TestCase("gzip")]
    [TestCase("deflate, gzip;q=0.8")]
    [TestCase("br;q=1, *;q=0.5")]
    public async Task Accepted_gzip_compresses_the_exact_exposition(string acceptEncoding)
    {
        await using var app = await StartWithJobsAsync();

        using var response = await SendAsync(app, HttpMethod.Get, "/metrics", accept: PrometheusTwoAccept, acceptEncoding: acceptEncoding);

        response.Content.Headers.ContentEncoding.ShouldBe(["gzip"]);
        response.Content.Headers.ContentType!.ToString().ShouldBe("application/openmetrics-text; version=1.0.0; charset=utf-8");
        await using var gzip = new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        (await reader.ReadToEndAsync()).ShouldBe(ExpectedOpenMetrics);
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task Prometheus_Accept_header_with_native_histograms_gets_delimited_protobuf(bool gzip)
    {
        await using var app = await StartWithJobsAsync();

        using var response = await SendAsync(
            app,
            HttpMethod.Get,
            "/metrics",
            accept: "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,application/openmetrics-text;version=1.0.0;q=0.8,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1",
            acceptEncoding: gzip ? "gzip" : null);

        response.Content.Headers.ContentType!.ToString().ShouldBe("application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited");
        response.Content.Headers.ContentEncoding.ShouldBe(gzip ? ["gzip"] : []);
        var body = new MemoryStream();
        await using (var content = await response.Content.ReadAsStreamAsync())
        {
            await (gzip ? new GZipStream(content, CompressionMode.Decompress) : content).CopyToAsync(body);
        }

        using var decoded = ClientModelDecoder.Decode(body.ToArray());
        decoded.RootElement.GetProperty("families").EnumerateArray()
            .Select(f => (f.GetProperty("name").GetString(), f.GetProperty("type").GetInt32(), ClientModelDecoder.DoubleOf(
                f.GetProperty("metric")[0].GetProperty(f.GetProperty("type").GetInt32() == 0 ? "counter" : "gauge").GetProperty("value"))))
            .ShouldBe([("jobs_total", 0, 3.0), ("metrics_scrape_collections_total", 0, 1.0), ("queue_depth", 1, 2.5)]);
    }

    [TestCase("gzip;q=0")]
    [TestCase("*;q=0.5, gzip;q=0")]
    [TestCase("identity")]
    public async Task Refused_gzip_sends_the_exposition_uncompressed(string acceptEncoding)
    {
        await using var app = await StartWithJobsAsync();

        using var response = await SendAsync(app, HttpMethod.Get, "/metrics", acceptEncoding: acceptEncoding);

        response.Content.Headers.ContentEncoding.ShouldBeEmpty();
        (await response.Content.ReadAsStringAsync()).ShouldBe(ExpectedText);
    }

    [Test]
    public async Task Head_answers_the_headers_of_a_scrape_without_a_body()
    {
        await using var app = await StartWithJobsAsync();

        using var response = await SendAsync(app, HttpMethod.Head, "/metrics", accept: PrometheusTwoAccept, acceptEncoding: "gzip");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.ToString().ShouldBe("application/openmetrics-text; version=1.0.0; charset=utf-8");
        response.Content.Headers.ContentEncoding.ShouldBe(["gzip"]);
        response.Headers.CacheControl!.ToString().ShouldBe("no-store");
        (await response.Content.ReadAsByteArrayAsync()).ShouldBeEmpty();
    }

    [TestCase("POST")]
    [TestCase("PUT")]
    [TestCase("DELETE")]
    public async Task Other_methods_get_405_with_the_allowed_ones(string method)
    {
        await using var app = await StartWithJobsAsync();

        using var response = await SendAsync(app, new HttpMethod(method), "/metrics");

        response.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
        response.Content.Headers.Allow.ShouldBe(["GET", "HEAD"]);
        response.Content.Headers.ContentType!.ToString().ShouldBe("application/json; charset=utf-8");
        (await response.Content.ReadAsStringAsync()).ShouldBe("""{"error":"method_not_allowed","message":"This endpoint answers GET and HEAD only."}""");
    }

    [Test]
    public async Task Failing_collectors_still_give_200_with_every_other_family_and_are_counted()
    {
        await using var app = await StartWithJobsAsync();
        var registry = app.Registry();
        registry.AddBeforeCollectCallback(static () => throw new InvalidOperationException("collector down"));
        registry.CreateCallbackGauge("backends_healthy", "Backends that pass their health check.", static () => throw new TimeoutException());

        using var response = await app.GetTestClient().GetAsync("/metrics");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldBe("""
            # HELP jobs_total Jobs done.
            # TYPE jobs_total counter
            jobs_total 3
            # HELP metrics_scrape_collections_total Collections run to answer scrapes; scrapes that arrived while one of their format and encoding ran shared it.
            # TYPE metrics_scrape_collections_total counter
            metrics_scrape_collections_total 1
            # HELP metrics_scrape_errors_total Failures of collection callbacks; the scrape went on without them.
            # TYPE metrics_scrape_errors_total counter
            metrics_scrape_errors_total 2
            # HELP queue_depth Jobs waiting.
            # TYPE queue_depth gauge
            queue_depth 2.5

            """);
    }

    [Test]
    public async Task Response_write_failure_gives_a_json_500()
    {
        await using var app = await TestApplications.StartAsync(static app =>
        {
            app.Use(static (context, next) =>
            {
                context.Features.Set<IHttpResponseBodyFeature>(new FailingBufferResponseBodyFeature(context.Features.GetRequiredFeature<IHttpResponseBodyFeature>()));
                return next(context);
            });
            app.MapPrometheusMetrics();
        });
        app.Registry().CreateCounter("jobs", "Jobs done.").Inc();

        using var response = await app.GetTestClient().GetAsync("/metrics");

        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        response.Content.Headers.ContentType!.ToString().ShouldBe("application/json; charset=utf-8");
        response.Content.Headers.ContentEncoding.ShouldBeEmpty();
        response.Headers.CacheControl!.ToString().ShouldBe("no-store");
        (await response.Content.ReadAsStringAsync()).ShouldBe("""{"error":"exposition_failed","message":"Sending the metrics failed; the error is in the server log."}""");
    }

    [Test]
    public async Task Scrape_after_real_traffic_passes_promtool_check_metrics()
    {
        await using var app = await StartWithTrafficAsync();

        var text = await app.GetTestClient().GetStringAsync("/metrics");

        text.ShouldContain("http_requests_total{route=\"/v1/models/{id}\",method=\"GET\",status=\"200\"} 2\n");
        var check = Promtool.CheckMetrics(text);
        check.ExitCode.ShouldBe(0, check.Output);
        check.Output.ShouldBeEmpty();
    }

    [Test]
    public async Task Openmetrics_scrape_after_real_traffic_is_accepted_by_the_strict_parser()
    {
        await using var app = await StartWithTrafficAsync();

        using var response = await SendAsync(app, HttpMethod.Get, "/metrics", accept: PrometheusTwoAccept);
        using var parsed = OpenMetricsParser.Parse(await response.Content.ReadAsStringAsync());

        parsed.RootElement.GetProperty("ok").GetBoolean().ShouldBeTrue(parsed.RootElement.ToString());
        var requests = parsed.RootElement.GetProperty("families").EnumerateArray().Single(static family => family.GetProperty("name").GetString() == "http_requests");
        requests.GetProperty("samples").EnumerateArray()
            .Select(static sample => $"{sample.GetProperty("labels").GetProperty("route").GetString()} {sample.GetProperty("labels").GetProperty("status").GetString()} {sample.GetProperty("value").GetDouble()}")
            .ShouldBe(["/v1/models/{id} 200 2", "/v1/models/{id} 404 1", "unmatched 404 1"]);
    }

    [Test]
    public async Task Custom_pattern_serves_the_metrics_there_only()
    {
        await using var app = await TestApplications.StartAsync(static app => app.MapPrometheusMetrics("/internal/metrics"));
        app.Registry().CreateCounter("jobs", "Jobs done.").Inc(3);
        var client = app.GetTestClient();

        (await client.GetStringAsync("/internal/metrics")).ShouldStartWith("# HELP jobs_total Jobs done.\n# TYPE jobs_total counter\njobs_total 3\n# HELP metrics_scrape_collections_total ");
        (await client.GetAsync("/metrics")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task RequireAuthorization_answers_401_without_credentials_and_200_with_them()
    {
        await using var app = await TestApplications.StartAsync(
            static app =>
            {
                app.UseAuthentication();
                app.UseAuthorization();
                app.MapPrometheusMetrics().RequireAuthorization();
                app.MapPrometheusMetricsSnapshot().RequireAuthorization();
            },
            configureBuilder: static builder =>
            {
                builder.Services.AddAuthentication(TestAuthenticationHandler.SchemeName)
                    .AddScheme<AuthenticationSchemeOptions, TestAuthenticationHandler>(TestAuthenticationHandler.SchemeName, null);
                builder.Services.AddAuthorization();
            });
        var client = app.GetTestClient();

        foreach (var path in new[] { "/metrics", "/metrics/snapshot" })
        {
            (await client.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, path);
            using var authorized = new HttpRequestMessage(HttpMethod.Get, path);
            authorized.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestAuthenticationHandler.Token);
            (await client.SendAsync(authorized)).StatusCode.ShouldBe(HttpStatusCode.OK, path);
        }
    }

    [Test]
    public async Task RequireHost_serves_only_the_named_port()
    {
        await using var app = await TestApplications.StartAsync(static app =>
        {
            app.MapPrometheusMetrics().RequireHost("*:9464");
            app.MapPrometheusMetricsSnapshot().RequireHost("*:9464");
        });
        var publicClient = app.GetTestClient();
        var internalClient = app.GetTestClient();
        internalClient.BaseAddress = new Uri("http://gateway.internal:9464/");

        foreach (var path in new[] { "metrics", "metrics/snapshot" })
        {
            (await publicClient.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.NotFound, path);
            (await internalClient.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.OK, path);
        }
    }

    [Test]
    public async Task Mapping_without_a_registry_fails_with_what_to_do()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        await using var app = builder.Build();

        Should.Throw<InvalidOperationException>(() => app.MapPrometheusMetrics()).Message.ShouldBe(
            "MapPrometheusMetrics needs the services of AddPrometheusMetrics: call builder.Services.AddPrometheusMetrics() when configuring services.");
    }

    private static async Task<WebApplication> StartWithJobsAsync()
    {
        var app = await TestApplications.StartAsync(static app => app.MapPrometheusMetrics());
        var registry = app.Registry();
        registry.CreateCounter("jobs", "Jobs done.").Inc(3);
        registry.CreateGauge("queue_depth", "Jobs waiting.").Set(2.5);
        return app;
    }

    private static async Task<WebApplication> StartWithTrafficAsync()
    {
        var app = await TestApplications.StartAsync(static app =>
        {
            app.UsePrometheusRequestMetrics();
            app.MapGet("/v1/models/{id}", static (string id) => id == "missing" ? Results.NotFound() : Results.Ok(id));
            app.MapPrometheusMetrics();
        });
        var client = app.GetTestClient();
        foreach (var path in new[] { "/v1/models/a", "/v1/models/b", "/v1/models/missing", "/wp-login.php" })
        {
            using var response = await client.GetAsync(path);
        }

        return app;
    }

    private static async Task<HttpResponseMessage> SendAsync(WebApplication app, HttpMethod method, string path, string? accept = null, string? acceptEncoding = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept).ShouldBeTrue();
        }

        if (acceptEncoding is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding).ShouldBeTrue();
        }

        return await app.GetTestClient().SendAsync(request);
    }
}
