using System.Net;
using System.Text;
using System.Text.Json;
using Metrics.AspNetCore.Tests.Live;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Metrics.AspNetCore.Tests.Hostile;

/// <summary>A client chooses the query: its answer may cost no more than the distinct selections it names, and its text is bounded.</summary>
public sealed class QueryBoundsTests
{
    private FakeTimeProvider _clock = null!;

    [SetUp]
    public void CreateClock() => _clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Test]
    public async Task History_with_120_copies_of_one_selector_answers_exactly_what_one_copy_does()
    {
        await using var app = await StartAsync();
        AddTraffic(app.Registry());
        _clock.Advance(TimeSpan.FromSeconds(10));
        var client = app.GetTestClient();

        var one = await client.GetByteArrayAsync("/metrics/history?family=requests_total%5Broute%5D");
        var repeated = await client.GetByteArrayAsync("/metrics/history?" + string.Join('&', Enumerable.Repeat("family=requests_total%5Broute%5D", 120)));

        repeated.Length.ShouldBe(one.Length);
        repeated.ShouldBe(one);
        Encoding.UTF8.GetString(one).ShouldBe(
            """{"type":"history","firstSequence":0,"lastSequence":1,"intervalSeconds":10,"timestamps":["2026-01-01T00:00:00+00:00","2026-01-01T00:00:10+00:00"],""" +
            "\"families\":[" + """{"selector":"requests_total[route]","name":"requests_total","type":"counter","labelNames":["route"],"series":[""" +
            """{"labels":{"route":"/a"},"rate":[null,0.5],"increase":5},{"labels":{"route":"/b"},"rate":[null,0.2],"increase":2}]}]}""");
    }

    [Test]
    public async Task Spellings_of_one_selection_merge_into_one_canonical_selector_in_order_of_first_appearance()
    {
        await using var app = await StartAsync();
        AddTraffic(app.Registry());

        using var document = JsonDocument.Parse(await app.GetTestClient().GetStringAsync(
            "/metrics/history?family=queue_depth&family=requests_total%5B%20route%20%2Cstatus%2C%20route%5D&family=requests_total%5Broute,status%5D&family=queue_depth"));

        document.RootElement.GetProperty("families").EnumerateArray().Select(family => family.GetProperty("selector").GetString())
            .ShouldBe(["queue_depth", "requests_total[route,status]"]);
    }

    [Test]
    public async Task Stream_with_repeated_selectors_sends_the_same_first_message_as_one_copy()
    {
        await using var app = await StartOnKestrelAsync();
        AddTraffic(app.Registry());
        using var client = new HttpClient { BaseAddress = app.Address() };

        using var one = new ServerSentEvents(await client.GetStreamAsync("/metrics/stream?family=requests_total"));
        using var repeated = new ServerSentEvents(await client.GetStreamAsync("/metrics/stream?" + string.Join('&', Enumerable.Repeat("family=requests_total", 120))));

        (await repeated.ReadAsync()).Data.GetRawText().ShouldBe((await one.ReadAsync()).Data.GetRawText());
    }

    [TestCase("/metrics/history")]
    [TestCase("/metrics/stream")]
    public async Task More_distinct_selectors_than_the_limit_get_400_with_a_json_error(string path)
    {
        await using var app = await StartOnKestrelAsync(static options => options.QuerySelectorLimit = 3);
        AddTraffic(app.Registry());
        using var client = new HttpClient { BaseAddress = app.Address() };

        using var atLimit = await client.GetAsync(
            "/metrics/history?family=queue_depth&family=requests_total&family=requests_total%5B%5D&family=queue_depth", HttpCompletionOption.ResponseHeadersRead);
        using var past = await client.GetAsync(
            path + "?family=queue_depth&family=requests_total&family=requests_total%5B%5D&family=requests_total%5Broute%5D", HttpCompletionOption.ResponseHeadersRead);

        atLimit.StatusCode.ShouldBe(HttpStatusCode.OK);
        past.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        past.Content.Headers.ContentType!.ToString().ShouldBe("application/json; charset=utf-8");
        (await past.Content.ReadAsStringAsync()).ShouldBe(
            """{"error":"too_many_selectors","message":"The query names more than 3 distinct families; ask for at most 3 at once."}""");
        LiveClients(app).ShouldBe(0);
    }

    [TestCase("/metrics/snapshot")]
    [TestCase("/metrics/history")]
    [TestCase("/metrics/stream")]
    public async Task Query_string_longer_than_the_limit_gets_414_with_a_json_error(string path)
    {
        await using var app = await StartOnKestrelAsync(static options => options.QueryLengthLimit = 100);
        AddTraffic(app.Registry());
        using var client = new HttpClient { BaseAddress = app.Address() };
        var fits = "?family=" + new string('x', 92);
        var tooLong = "?family=" + new string('x', 93);

        using var within = await client.GetAsync(path + fits, HttpCompletionOption.ResponseHeadersRead);
        using var past = await client.GetAsync(path + tooLong);

        within.StatusCode.ShouldNotBe(HttpStatusCode.RequestUriTooLong);
        past.StatusCode.ShouldBe(HttpStatusCode.RequestUriTooLong);
        (await past.Content.ReadAsStringAsync()).ShouldBe(
            """{"error":"query_too_long","message":"The query string is 101 characters long; this endpoint reads at most 100."}""");
    }

    [Test]
    public async Task Usage_with_a_name_repeated_lists_its_family_once()
    {
        await using var app = await StartAsync();
        AddTraffic(app.Registry());

        using var document = JsonDocument.Parse(await app.GetTestClient().GetStringAsync(
            "/metrics/snapshot?" + string.Join('&', Enumerable.Repeat("family=queue_depth", 200))));

        document.RootElement.GetProperty("families").EnumerateArray().Select(family => family.GetProperty("name").GetString()).ShouldBe(["queue_depth"]);
    }

    [TestCase("POST", "/metrics/history")]
    [TestCase("PUT", "/metrics/snapshot")]
    [TestCase("DELETE", "/metrics/stream")]
    public async Task Other_methods_get_405_with_a_json_error(string method, string path)
    {
        await using var app = await StartAsync();

        using var response = await app.GetTestClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        response.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
        response.Content.Headers.Allow.ShouldBe(["GET"]);
        (await response.Content.ReadAsStringAsync()).ShouldBe("""{"error":"method_not_allowed","message":"This endpoint answers GET only."}""");
    }

    private static void AddTraffic(MetricRegistry registry)
    {
        var requests = registry.CreateCounterFamily("requests", "Requests.", ["route", "status"]);
        requests.WithLabels("/a", "200").Inc(5);
        requests.WithLabels("/b", "500").Inc(2);
        registry.CreateGauge("queue_depth", "Depth.").Set(3);
    }

    private static double LiveClients(WebApplication app) => app.Registry().ValueOf("metrics_live_clients");

    private Task<WebApplication> StartAsync() =>
        TestApplications.StartAsync(
            static app =>
            {
                app.MapPrometheusMetricsSnapshot();
                app.MapPrometheusMetricsHistory();
                app.MapPrometheusMetricsStream();
            },
            configureBuilder: builder => builder.Services.AddPrometheusMetricsHistory(options => options.TimeProvider = _clock));

    private Task<WebApplication> StartOnKestrelAsync(Action<PrometheusMetricsOptions>? configure = null) =>
        LiveApplications.StartAsync(_clock, configure, static app =>
        {
            app.MapPrometheusMetricsSnapshot();
            app.MapPrometheusMetricsHistory();
        });
}
