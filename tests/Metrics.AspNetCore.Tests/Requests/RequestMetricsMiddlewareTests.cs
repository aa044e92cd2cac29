using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Metrics.AspNetCore.Tests.Requests;

public sealed class RequestMetricsMiddlewareTests
{
    private const string Requests = "http_requests_total";
    private const string Durations = "http_request_duration_seconds";

    [Test]
    public async Task Known_sequence_of_200s_404s_and_a_throw_records_exact_counts_by_route_method_and_status()
    {
        await using var app = await TestApplications.StartAsync(static app =>
        {
            app.UsePrometheusRequestMetrics();
            app.MapGet("/v1/models/{id}", static (string id) => id);
            app.MapGet("/v1/files/{id}", static (string id) => Results.NotFound());
            app.MapPost("/v1/jobs", static HttpResponseMessage () => throw new InvalidOperationException("boom"));
        });
        var client = app.GetTestClient();

        for (var i = 0; i < 5; i++)
        {
            (await client.GetAsync($"/v1/models/m{i}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        for (var i = 0; i < 2; i++)
        {
            (await client.GetAsync($"/v1/files/f{i}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }

        await Should.ThrowAsync<InvalidOperationException>(() => client.PostAsync("/v1/jobs", null));

        var registry = app.Registry();
        registry.SeriesLines(Requests).ShouldBe(
        [
            "/v1/models/{id},GET,200 = 5",
            "/v1/files/{id},GET,404 = 2",
            "/v1/jobs,POST,500 = 1",
        ]);
        registry.SeriesLines(Durations).ShouldBe(
        [
            "/v1/models/{id},GET,200 = 5",
            "/v1/files/{id},GET,404 = 2",
            "/v1/jobs,POST,500 = 1",
        ]);
        registry.ValueOf("http_requests_in_flight").ShouldBe(0);
    }

    [Test]
    public async Task Native_request_duration_option_keeps_the_classic_buckets_and_counts_natively_too()
    {
        await using var app = await TestApplications.StartAsync(
            static app =>
            {
                app.UsePrometheusRequestMetrics();
                app.MapGet("/v1/models/{id}", static (string id) => id);
            },
            static options =>
            {
                options.NativeRequestDuration = true;
                options.RequestDurationBuckets = [0.5, 60];
            });
        var client = app.GetTestClient();
        for (var i = 0; i < 3; i++)
        {
            (await client.GetAsync($"/v1/models/m{i}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var registry = app.Registry();
        var family = registry.Families.OfType<MetricFamily<NativeHistogram>>().ShouldHaveSingleItem();
        family.Name.ShouldBe(Durations);
        var series = family.WithLabels("/v1/models/{id}", "GET", "200");
        series.ClassicUpperBounds.ShouldBe([0.5, 60]);
        registry.SeriesLines(Durations).ShouldBe(["/v1/models/{id},GET,200 = 3"]);

        var output = new System.Buffers.ArrayBufferWriter<byte>();
        MetricsExposition.Write(registry, ExpositionFormat.Protobuf, output);
        using var decoded = Metrics.Testing.ClientModelDecoder.Decode(output.WrittenSpan);
        var histogram = decoded.RootElement.GetProperty("families").EnumerateArray()
            .Single(f => f.GetProperty("name").GetString() == Durations).GetProperty("metric")[0].GetProperty("histogram");
        histogram.GetProperty("sample_count").GetInt64().ShouldBe(3);
        histogram.GetProperty("schema").GetInt32().ShouldBe(3);
        // Each native bucket's count is the running sum of the deltas; with the zero bucket they hold every request.
        long running = 0, inBuckets = 0;
        foreach (var delta in histogram.GetProperty("positive_delta").EnumerateArray())
        {
            running += delta.GetInt64();
            inBuckets += running;
        }

        (inBuckets + (histogram.TryGetProperty("zero_count", out var zero) ? zero.GetInt64() : 0)).ShouldBe(3);
        histogram.GetProperty("bucket").EnumerateArray().Select(b => Metrics.Testing.ClientModelDecoder.DoubleOf(b.GetProperty("upper_bound"))).ShouldBe([0.5, 60]);
    }

    [Test]
    public async Task Handler_exception_propagates_unchanged_and_is_recorded_as_500()
    {
        var thrown = new InvalidOperationException("backend unavailable");
        await using var app = await TestApplications.StartAsync(app =>
        {
            app.UsePrometheusRequestMetrics();
            app.MapGet("/fails", string () => throw thrown);
        });

        var exception = await Should.ThrowAsync<InvalidOperationException>(() => app.GetTestClient().GetAsync("/fails"));

        exception.ShouldBeSameAs(thrown);
        app.Registry().SeriesLines(Requests).ShouldBe(["/fails,GET,500 = 1"]);
        app.Registry().ValueOf("http_requests_in_flight").ShouldBe(0);
    }

    [Test]
    public async Task Synchronous_throw_from_the_next_middleware_is_recorded_as_500()
    {
        await using var app = await TestApplications.StartAsync(static app =>
        {
            app.UsePrometheusRequestMetrics();
            app.Use(static (RequestDelegate _) => static _ => throw new InvalidOperationException("synchronous"));
        });

        await Should.ThrowAsync<InvalidOperationException>(() => app.GetTestClient().GetAsync("/anything"));

        app.Registry().SeriesLines(Requests).ShouldBe(["unmatched,GET,500 = 1"]);
        app.Registry().ValueOf("http_requests_in_flight").ShouldBe(0);
    }

    [TestCase(false, TestName = "Client_that_aborts_is_recorded_as_499_even_when_the_handler_then_throws(TestServer)")]
    [TestCase(true, TestName = "Client_that_aborts_is_recorded_as_499_even_when_the_handler_then_throws(Kestrel)")]
    public async Task Client_that_aborts_is_recorded_as_499_even_when_the_handler_then_throws(bool onKestrel)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Action<WebApplication> configure = app =>
        {
            app.UsePrometheusRequestMetrics();
            app.MapGet("/v1/stream", async (HttpContext context) =>
            {
                started.SetResult();
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            });
        };
        await using var app = onKestrel ? await TestApplications.StartOnKestrelAsync(configure) : await TestApplications.StartAsync(configure);
        using var client = app.Client();
        using var cancellation = new CancellationTokenSource();

        var request = client.GetAsync("/v1/stream", cancellation.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cancellation.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => request);
        await Eventually.ShouldBecomeAsync(() => app.Registry().SeriesLines(Requests), ["/v1/stream,GET,499 = 1"]);
        app.Registry().ValueOf("http_requests_in_flight").ShouldBe(0);
    }

    [Test]
    public async Task Requests_in_flight_counts_requests_inside_the_handler()
    {
        var inside = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var arrived = 0;
        await using var app = await TestApplications.StartAsync(app =>
        {
            app.UsePrometheusRequestMetrics();
            app.MapGet("/slow", async () =>
            {
                if (Interlocked.Increment(ref arrived) == 2)
                {
                    inside.SetResult();
                }

                await release.Task;
                return "done";
            });
        });
        var client = app.GetTestClient();

        var first = client.GetAsync("/slow");
        var second = client.GetAsync("/slow");
        await inside.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var whileInside = app.Registry().ValueOf("http_requests_in_flight");
        release.SetResult();
        await Task.WhenAll(first, second);

        whileInside.ShouldBe(2);
        app.Registry().ValueOf("http_requests_in_flight").ShouldBe(0);
    }

    [Test]
    public async Task Scan_of_10000_random_paths_adds_at_most_one_route_series()
    {
        await using var app = await TestApplications.StartAsync(static app =>
        {
            app.UsePrometheusRequestMetrics();
            app.MapGet("/v1/models/{id}", static (string id) => id);
        });
        var client = app.GetTestClient();

        await Parallel.ForEachAsync(Enumerable.Range(0, 10_000), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, cancellation) =>
        {
            using var response = await client.GetAsync($"/{Guid.NewGuid():N}/{i}/admin.php", cancellation);
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        });

        var registry = app.Registry();
        registry.SeriesLines(Requests).ShouldBe(["unmatched,GET,404 = 10000"]);
        registry.SeriesLines(Durations).ShouldBe(["unmatched,GET,404 = 10000"]);
        registry.SeriesLines("http_request_body_bytes_total").ShouldBe(["unmatched = 0"]);
        registry.SeriesLines("http_response_body_bytes_total").ShouldBe(["unmatched = 0"]);
    }

    [Test]
    public async Task Known_path_with_another_method_is_unmatched_with_its_405()
    {
        await using var app = await TestApplications.StartAsync(static app =>
        {
            app.UsePrometheusRequestMetrics();
            app.MapGet("/v1/models", static () => "[]");
        });

        (await app.GetTestClient().DeleteAsync("/v1/models")).StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);

        app.Registry().SeriesLines(Requests).ShouldBe(["unmatched,DELETE,405 = 1"]);
    }

    [Test]
    public async Task Nonstandard_methods_share_one_method_label_and_case_is_folded()
    {
        await using var app = await TestApplications.StartAsync(static app =>
        {
            app.UsePrometheusRequestMetrics();
            app.MapMethods("/cache", ["PURGE", "BREW", "GET"], static () => "ok");
        });
        var client = app.GetTestClient();

        (await client.SendAsync(new HttpRequestMessage(new HttpMethod("PURGE"), "/cache"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.SendAsync(new HttpRequestMessage(new HttpMethod("BREW"), "/cache"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.SendAsync(new HttpRequestMessage(new HttpMethod("get"), "/cache"))).StatusCode.ShouldBe(HttpStatusCode.OK);

        app.Registry().SeriesLines(Requests).ShouldBe(["/cache,_OTHER,200 = 2", "/cache,GET,200 = 1"]);
    }

    [Test]
    public async Task Route_template_without_a_leading_slash_is_labelled_with_one()
    {
        await using var app = await TestApplications.StartAsync(static app =>
        {
            app.UsePrometheusRequestMetrics();
            app.MapGet("v1/items/{id:int}", static (int id) => id);
            app.MapGet("/", static () => "home");
        });
        var client = app.GetTestClient();

        (await client.GetAsync("/v1/items/7")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.OK);

        app.Registry().SeriesLines(Requests).ShouldBe(["/v1/items/{id:int},GET,200 = 1", "/,GET,200 = 1"]);
    }

    [Test]
    public async Task Middleware_before_explicit_routing_still_labels_the_template_and_skips_the_metrics_endpoint()
    {
        await using var app = await TestApplications.StartAsync(static app =>
        {
            app.UsePrometheusRequestMetrics();
            app.UseRouting();
            app.MapGet("/v1/models/{id}", static (string id) => id);
            app.MapPrometheusMetrics();
        });
        var client = app.GetTestClient();

        (await client.GetAsync("/v1/models/a")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync("/metrics")).StatusCode.ShouldBe(HttpStatusCode.OK);

        app.Registry().SeriesLines(Requests).ShouldBe(["/v1/models/{id},GET,200 = 1"]);
    }

    [Test]
    public async Task Metrics_endpoint_is_excluded_and_not_counted_in_flight_while_it_scrapes()
    {
        await using var app = await TestApplications.StartAsync(static app =>
        {
            app.UsePrometheusRequestMetrics();
            app.MapPrometheusMetrics();
        });
        var client = app.GetTestClient();

        string scrape = "";
        for (var i = 0; i < 3; i++)
        {
            scrape = await client.GetStringAsync("/metrics");
        }

        scrape.ShouldContain("\nhttp_requests_in_flight 0\n");
        scrape.ShouldNotContain("http_requests_total{");
        app.Registry().SeriesLines(Requests).ShouldBeEmpty();
    }

    [Test]
    public async Task Endpoint_with_DisableHttpMetrics_is_not_recorded()
    {
        await using var app = await TestApplications.StartAsync(static app =>
        {
            app.UsePrometheusRequestMetrics();
            app.MapGet("/internal/ping", static () => "pong").DisableHttpMetrics();
            app.MapGet("/ping", static () => "pong");
        });
        var client = app.GetTestClient();

        (await client.GetAsync("/internal/ping")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync("/ping")).StatusCode.ShouldBe(HttpStatusCode.OK);

        app.Registry().SeriesLines(Requests).ShouldBe(["/ping,GET,200 = 1"]);
    }

    [Test]
    public async Task Excluded_paths_match_whole_segments_ignoring_case()
    {
        await using var app = await TestApplications.StartAsync(
            static app =>
            {
                app.UsePrometheusRequestMetrics();
                app.MapGet("/health", static () => "ok");
                app.MapGet("/health/ready", static () => "ok");
                app.MapGet("/healthz", static () => "ok");
            },
            static options => options.ExcludedPaths.Add("/health"));
        var client = app.GetTestClient();

        (await client.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync("/HEALTH/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync("/healthz")).StatusCode.ShouldBe(HttpStatusCode.OK);

        app.Registry().SeriesLines(Requests).ShouldBe(["/healthz,GET,200 = 1"]);
    }

    [Test]
    public async Task Route_label_mode_EndpointName_uses_the_name_and_falls_back_to_the_template()
    {
        await using var app = await TestApplications.StartAsync(
            static app =>
            {
                app.UsePrometheusRequestMetrics();
                app.MapGet("/v1/models/{id}", static (string id) => id).WithName("GetModel");
                app.MapGet("/v1/models", static () => "[]");
            },
            static options => options.RouteLabel = RouteLabelMode.EndpointName);
        var client = app.GetTestClient();

        (await client.GetAsync("/v1/models/a")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync("/v1/models")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync("/nowhere")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        app.Registry().SeriesLines(Requests).ShouldBe(["GetModel,GET,200 = 1", "/v1/models,GET,200 = 1", "unmatched,GET,404 = 1"]);
    }

    [Test]
    public async Task Route_label_mode_None_leaves_the_route_empty_for_every_request()
    {
        await using var app = await TestApplications.StartAsync(
            static app =>
            {
                app.UsePrometheusRequestMetrics();
                app.MapGet("/v1/models/{id}", static (string id) => id);
                app.MapGet("/v1/models", static () => "[]");
            },
            static options => options.RouteLabel = RouteLabelMode.None);
        var client = app.GetTestClient();

        (await client.GetAsync("/v1/models/a")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync("/v1/models")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync("/nowhere")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        app.Registry().SeriesLines(Requests).ShouldBe([",GET,200 = 2", ",GET,404 = 1"]);
    }

    [Test]
    public async Task Prefix_and_buckets_shape_the_registered_families()
    {
        await using var app = await TestApplications.StartAsync(
            static app =>
            {
                app.UsePrometheusRequestMetrics();
                app.MapGet("/ping", static () => "pong");
            },
            static options =>
            {
                options.Prefix = "gateway_";
                options.RequestDurationBuckets = [0.05, 0.5];
            });

        (await app.GetTestClient().GetAsync("/ping")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var registry = app.Registry();
        registry.Families.Select(static family => family.Name).ShouldBe(
        [
            "gateway_http_request_body_bytes_total",
            "gateway_http_request_duration_seconds",
            "gateway_http_requests_in_flight",
            "gateway_http_requests_total",
            "gateway_http_response_body_bytes_total",
        ]);
        registry.ValueOf("gateway_http_requests_total", "/ping", "GET", "200").ShouldBe(1);
        registry.SeriesOf("gateway_http_request_duration_seconds", "/ping", "GET", "200").Histogram!.UpperBounds.ShouldBe([0.05, 0.5, double.PositiveInfinity]);
    }

    [Test]
    public async Task Default_duration_buckets_run_from_1ms_to_10s()
    {
        await using var app = await TestApplications.StartAsync(static app =>
        {
            app.UsePrometheusRequestMetrics();
            app.MapGet("/ping", static () => "pong");
        });

        (await app.GetTestClient().GetAsync("/ping")).StatusCode.ShouldBe(HttpStatusCode.OK);

        app.Registry().SeriesOf(Durations, "/ping", "GET", "200").Histogram!.UpperBounds.ShouldBe(
            [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, double.PositiveInfinity]);
    }

    [Test]
    public async Task Cardinality_limit_folds_further_outcomes_into_the_overflow_series()
    {
        await using var app = await TestApplications.StartAsync(
            static app =>
            {
                app.UsePrometheusRequestMetrics();
                app.MapGet("/a", static () => "a");
                app.MapGet("/b", static () => "b");
                app.MapGet("/c", static () => "c");
            },
            static options => options.CardinalityLimit = 2,
            static builder => builder.Services.AddSingleton(new MetricRegistry()));
        var client = app.GetTestClient();

        foreach (var path in new[] { "/a", "/b", "/c", "/c" })
        {
            (await client.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var registry = app.Registry();
        registry.SeriesLines(Requests).ShouldBe(["/a,GET,200 = 1", "/b,GET,200 = 1", "__overflow__,__overflow__,__overflow__ = 2"]);
        registry.SeriesLines("http_response_body_bytes_total").ShouldBe(["/a = 1", "/b = 1", "__overflow__ = 2"]);
        registry.ValueOf("metrics_series_overflow_total", Requests).ShouldBe(1);
    }
}
