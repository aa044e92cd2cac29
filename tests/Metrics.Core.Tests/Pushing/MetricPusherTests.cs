using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;

namespace Metrics.Tests.Pushing;

public sealed class MetricPusherTests
{
    private const string ExpectedBody =
        "# HELP jobs_total Jobs done.\n" +
        "# TYPE jobs_total counter\n" +
        "jobs_total 3\n" +
        "# HELP metrics_push_failures_total Pushes and deletions that failed after every retry.\n" +
        "# TYPE metrics_push_failures_total counter\n" +
        "metrics_push_failures_total 0\n";

    private static readonly Uri Gateway = new("http://pushgateway.test:9091/");
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Test]
    public async Task A_push_PUTs_the_registry_as_prometheus_text_to_the_group_url()
    {
        var handler = new RecordingHandler();
        await using var pusher = Pusher(Registry(), handler, options => options.PushOnDispose = false);

        var result = await pusher.PushAsync();

        result.Succeeded.ShouldBeTrue();
        result.Method.ShouldBe("PUT");
        result.StatusCode.ShouldBe(200);
        result.Attempts.ShouldBe(1);
        result.Message.ShouldBeNull();
        var request = handler.Requests.ShouldHaveSingleItem();
        request.Method.ShouldBe(HttpMethod.Put);
        request.Url.ShouldBe(new Uri("http://pushgateway.test:9091/metrics/job/nightly"));
        request.ContentType.ShouldBe("text/plain; version=0.0.4; charset=utf-8");
        request.Body.ShouldBe(ExpectedBody);
    }

    [Test]
    public async Task The_protobuf_format_pushes_the_registry_as_delimited_metric_families_with_their_native_histograms()
    {
        var handler = new RecordingHandler();
        var registry = Registry();
        var latency = registry.CreateNativeHistogram("step_seconds", "Time per step.");
        latency.Observe(0.5);
        latency.Observe(3);
        await using var pusher = Pusher(registry, handler, options =>
        {
            options.Format = ExpositionFormat.Protobuf;
            options.PushOnDispose = false;
        });

        (await pusher.PushAsync()).Succeeded.ShouldBeTrue();

        var request = handler.Requests.ShouldHaveSingleItem();
        request.ContentType.ShouldBe("application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited");
        // The bytes of one rendering of the registry in protobuf; the exposition tests prove that rendering.
        var expected = new System.Buffers.ArrayBufferWriter<byte>();
        MetricsExposition.Write(registry, ExpositionFormat.Protobuf, expected);
        request.Bytes.ShouldBe(expected.WrittenSpan.ToArray());
    }

    [Test]
    public void OpenMetrics_is_refused_as_a_push_format_naming_the_formats_the_pushgateway_reads()
    {
        var exception = Should.Throw<ArgumentException>(() => Pusher(Registry(), new RecordingHandler(), options => options.Format = ExpositionFormat.OpenMetrics));

        exception.Message.ShouldStartWith("The push format 'OpenMetrics' is not one the Pushgateway reads: use PrometheusText or Protobuf.");
    }

    [Test]
    public async Task Add_POSTs_and_delete_sends_DELETE_without_a_body()
    {
        var handler = new RecordingHandler();
        await using var pusher = Pusher(Registry(), handler, options =>
        {
            options.Method = PushMethod.Add;
            options.PushOnDispose = false;
        });

        (await pusher.PushAsync()).Method.ShouldBe("POST");
        (await pusher.DeleteAsync()).Method.ShouldBe("DELETE");

        handler.Requests.Select(request => (request.Method.Method, request.Body.Length > 0)).ShouldBe([("POST", true), ("DELETE", false)]);
    }

    [Test]
    public void The_grouping_key_encodes_empty_values_and_slashes_as_url_safe_base64_and_escapes_the_rest()
    {
        using var pusher = Pusher(Registry(), new RecordingHandler(), options =>
        {
            options.Job = "backup/db";
            options.GroupingLabels["instance"] = "host-1";
            options.GroupingLabels["path"] = "/var/lib/ü?";
            options.GroupingLabels["empty"] = "";
            options.GroupingLabels["note"] = "a b%c";
            options.PushOnDispose = false;
        });

        pusher.GroupUrl.AbsoluteUri.ShouldBe(
            "http://pushgateway.test:9091/metrics/job@base64/YmFja3VwL2Ri/instance/host-1/path@base64/L3Zhci9saWIvw7w_/empty@base64/=/note/a%20b%25c");
    }

    [Test]
    public void An_endpoint_with_a_path_keeps_it()
    {
        using var pusher = Pusher(Registry(), new RecordingHandler(), options =>
        {
            options.Endpoint = new Uri("https://ops.example/pushgateway");
            options.PushOnDispose = false;
        });

        pusher.GroupUrl.AbsoluteUri.ShouldBe("https://ops.example/pushgateway/metrics/job/nightly");
    }

    [TestCase("bad-name", "Invalid label name 'bad-name'")]
    [TestCase("__reserved", "Invalid label name '__reserved'")]
    [TestCase("job", "Invalid grouping label 'job'")]
    public void An_invalid_grouping_label_throws_naming_it_and_the_rule(string name, string message)
    {
        var exception = Should.Throw<ArgumentException>(() => Pusher(Registry(), new RecordingHandler(), options => options.GroupingLabels[name] = "x"));

        exception.Message.ShouldStartWith(message);
    }

    [Test]
    public void An_empty_job_throws()
    {
        Should.Throw<ArgumentException>(() => Pusher(Registry(), new RecordingHandler(), options => options.Job = ""));
    }

    [Test]
    public async Task Server_errors_are_retried_with_doubling_backoff_until_one_succeeds()
    {
        var handler = new RecordingHandler(HttpStatusCode.ServiceUnavailable, HttpStatusCode.TooManyRequests, HttpStatusCode.OK);
        var registry = Registry();
        var clock = new FakeTimeProvider();
        await using var pusher = new MetricPusher(registry, Options(handler, options =>
        {
            options.RetryDelay = TimeSpan.FromMilliseconds(100);
            options.PushOnDispose = false;
        }), clock);

        var push = pusher.PushAsync();
        await WaitForRequestsAsync(handler, 1);
        clock.Advance(TimeSpan.FromMilliseconds(99));
        await Task.Delay(50);
        handler.Requests.Count.ShouldBe(1, "the first retry waits 100 ms");
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await WaitForRequestsAsync(handler, 2);
        clock.Advance(TimeSpan.FromMilliseconds(199));
        await Task.Delay(50);
        handler.Requests.Count.ShouldBe(2, "the second retry waits twice as long");
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var result = await push.WaitAsync(Deadline);

        result.Succeeded.ShouldBeTrue();
        result.Attempts.ShouldBe(3);
        handler.Requests.Select(request => request.Body).Distinct().ShouldBe([ExpectedBody], "every attempt sends the values the push first read");
        Failures(registry).ShouldBe(0);
    }

    [Test]
    public async Task A_push_that_fails_every_attempt_is_returned_counted_and_raised_never_thrown()
    {
        var handler = new RecordingHandler(HttpStatusCode.BadGateway);
        var registry = Registry();
        var raised = new List<PushResult>();
        await using var pusher = Pusher(registry, handler, options =>
        {
            options.RetryDelay = TimeSpan.Zero;
            options.PushOnDispose = false;
        });
        pusher.Completed += (_, result) => raised.Add(result);

        var result = await pusher.PushAsync();

        result.Succeeded.ShouldBeFalse();
        result.StatusCode.ShouldBe(502);
        result.Attempts.ShouldBe(3);
        result.Error.ShouldBeNull();
        result.Message.ShouldBe("refused with 502");
        raised.ShouldBe([result]);
        Failures(registry).ShouldBe(1);
    }

    [Test]
    public async Task A_client_error_is_not_retried()
    {
        var handler = new RecordingHandler(HttpStatusCode.BadRequest);
        await using var pusher = Pusher(Registry(), handler, options => options.PushOnDispose = false);

        var result = await pusher.PushAsync();

        result.Succeeded.ShouldBeFalse();
        result.StatusCode.ShouldBe(400);
        result.Attempts.ShouldBe(1);
    }

    [Test]
    public async Task An_attempt_that_outlives_the_timeout_fails_with_a_timeout_and_is_retried()
    {
        var handler = new RecordingHandler { Hang = true };
        await using var pusher = Pusher(Registry(), handler, options =>
        {
            options.Timeout = TimeSpan.FromMilliseconds(100);
            options.MaxAttempts = 2;
            options.RetryDelay = TimeSpan.Zero;
            options.PushOnDispose = false;
        });

        var result = await pusher.PushAsync().WaitAsync(Deadline);

        result.Succeeded.ShouldBeFalse();
        result.StatusCode.ShouldBeNull();
        result.Attempts.ShouldBe(2);
        result.Error.ShouldBeOfType<TimeoutException>();
        handler.Requests.Count.ShouldBe(2);
    }

    [Test]
    public async Task A_refused_connection_is_a_failed_result_with_the_socket_error()
    {
        var registry = Registry();
        await using var pusher = new MetricPusher(registry, new MetricPusherOptions
        {
            Endpoint = new Uri($"http://127.0.0.1:{ClosedLoopbackPort()}/"),
            Job = "nightly",
            MaxAttempts = 1,
            PushOnDispose = false,
        });

        var result = await pusher.PushAsync().WaitAsync(Deadline);

        result.Succeeded.ShouldBeFalse();
        result.StatusCode.ShouldBeNull();
        result.Error.ShouldBeOfType<HttpRequestException>().InnerException.ShouldBeOfType<SocketException>().SocketErrorCode.ShouldBe(SocketError.ConnectionRefused);
        Failures(registry).ShouldBe(1);
    }

    [Test]
    public async Task Periodic_pushes_run_until_dispose_which_pushes_the_last_values_and_a_throwing_handler_stops_nothing()
    {
        var handler = new RecordingHandler(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK);
        var registry = Registry();
        var jobs = registry.CreateCounter("jobs", "Jobs done.");
        var results = 0;
        var pusher = Pusher(registry, handler, options =>
        {
            options.Interval = TimeSpan.FromMilliseconds(50);
            options.MaxAttempts = 1;
        });
        pusher.Completed += (_, _) =>
        {
            Interlocked.Increment(ref results);
            throw new InvalidOperationException("a careless handler");
        };

        pusher.Start();
        pusher.Start();
        await WaitForRequestsAsync(handler, 3);

        jobs.Inc(4);
        await pusher.DisposeAsync();

        var requests = handler.Requests;
        requests.Count.ShouldBeGreaterThanOrEqualTo(4);
        Volatile.Read(ref results).ShouldBe(requests.Count);
        Failures(registry).ShouldBe(1, "the first periodic push got 503 and MaxAttempts is 1");
        requests[^1].Body.ShouldContain("\njobs_total 7\n", customMessage: "the final push carries what was recorded before dispose");
        requests[^1].Body.ShouldContain("\nmetrics_push_failures_total 1\n");
        Should.Throw<ObjectDisposedException>(pusher.Start);
    }

    private static MetricRegistry Registry()
    {
        var registry = new MetricRegistry();
        registry.CreateCounter("jobs", "Jobs done.").Inc(3);
        return registry;
    }

    private static MetricPusher Pusher(MetricRegistry registry, RecordingHandler handler, Action<MetricPusherOptions> configure) =>
        new(registry, Options(handler, configure));

    private static MetricPusherOptions Options(RecordingHandler handler, Action<MetricPusherOptions> configure)
    {
        var options = new MetricPusherOptions { Endpoint = Gateway, Job = "nightly", HttpClient = new HttpClient(handler) };
        configure(options);
        return options;
    }

    private static async Task WaitForRequestsAsync(RecordingHandler handler, int count)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (handler.Requests.Count < count)
        {
            watch.Elapsed.ShouldBeLessThan(Deadline, $"the pusher sent {handler.Requests.Count} requests, not {count}");
            await Task.Delay(5);
        }
    }

    private static double Failures(MetricRegistry registry) => registry.Collect().Find("metrics_push_failures_total")!.Series[0].Value;

    private static int ClosedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
