using System.Diagnostics.Metrics;
using System.Net;
using Metrics.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Metrics.AspNetCore.Tests.Bridge;

public class MeterBridgeAdapterTests
{
    private const string RequestCountOfRoute =
        "http_server_request_duration_seconds_count{aspnetcore_request_is_unhandled=\"\",error_type=\"\",http_request_method=\"GET\",http_response_status_code=\"200\",http_route=\"/items/{id}\",network_protocol_version=\"1.1\",url_scheme=\"http\"}";

    [Test]
    public async Task Asp_net_core_request_duration_appears_with_its_own_route_label_after_three_requests()
    {
        await using var app = await StartWithItemsRouteAsync();
        var client = app.GetTestClient();
        for (var id = 1; id <= 3; id++)
        {
            (await client.GetAsync($"/items/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        // Hosting records the duration as the request completes, which may be just after the client has the response.
        await Eventually.ShouldBecomeAsync(() => CountLine(app.Registry()), RequestCountOfRoute + " 3");
        var scrape = await client.GetStringAsync("/metrics");

        scrape.ShouldContain("# TYPE http_server_request_duration_seconds histogram\n");
        scrape.ShouldContain(RequestCountOfRoute + " 3\n");
        scrape.ShouldContain("metrics_bridge_dropped_total{reason=\"unknown_tag\"} 0\n");
        // The buckets are ASP.NET Core's own advice for the instrument.
        app.Registry().Collect().Find("http_server_request_duration_seconds").ShouldNotBeNull().Series[0].Histogram.ShouldNotBeNull()
            .UpperBounds.ShouldBe([0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, double.PositiveInfinity]);
    }

    [Test]
    public async Task The_route_label_appears_even_when_the_first_request_matched_no_route()
    {
        await using var app = await StartWithItemsRouteAsync();
        var client = app.GetTestClient();
        // ASP.NET Core leaves http.route off a request no endpoint matched, and this one registers the family.
        (await client.GetAsync("/nowhere")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        await Eventually.ShouldBecomeAsync(() => CountLine(app.Registry(), "404"),
            "http_server_request_duration_seconds_count{aspnetcore_request_is_unhandled=\"true\",error_type=\"\",http_request_method=\"GET\",http_response_status_code=\"404\",http_route=\"\",network_protocol_version=\"1.1\",url_scheme=\"http\"} 1");
        for (var id = 1; id <= 3; id++)
        {
            (await client.GetAsync($"/items/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        await Eventually.ShouldBecomeAsync(() => CountLine(app.Registry()), RequestCountOfRoute + " 3");
        var scrape = await client.GetStringAsync("/metrics");
        scrape.ShouldContain(RequestCountOfRoute + " 3\n");
        scrape.ShouldContain("metrics_bridge_dropped_total{reason=\"unknown_tag\"} 0\n");
    }

    [Test]
    public async Task Kestrel_active_connections_counts_the_open_connection_on_real_kestrel()
    {
        await using var app = await StartOnKestrelWithBridgeAsync();
        var port = app.Address().Port;
        using var client = new HttpClient { BaseAddress = app.Address() };

        var scrape = await client.GetStringAsync("/metrics");

        scrape.ShouldContain("# TYPE kestrel_active_connections gauge\n");
        scrape.ShouldContain(
            $"kestrel_active_connections{{network_transport=\"tcp\",network_type=\"ipv4\",server_address=\"127.0.0.1\",server_port=\"{port}\"}} 1\n");
    }

    [Test]
    public async Task Promtool_accepts_a_scrape_with_the_bridged_asp_net_core_kestrel_and_runtime_meters()
    {
        await using var app = await StartOnKestrelWithBridgeAsync();
        using var client = new HttpClient { BaseAddress = app.Address() };
        await client.GetStringAsync("/metrics");

        var scrape = await client.GetStringAsync("/metrics");

        scrape.ShouldContain("dotnet_process_cpu_time_seconds_total{cpu_mode=\"user\"}");
        var result = Promtool.CheckMetrics(scrape);
        result.Output.ShouldBeEmpty();
        result.ExitCode.ShouldBe(0);
    }

    [Test]
    public async Task The_bridge_is_off_by_default()
    {
        await using var app = await TestApplications.StartAsync(static app => app.MapPrometheusMetrics());
        var client = app.GetTestClient();
        await client.GetStringAsync("/metrics");

        (await client.GetStringAsync("/metrics")).ShouldBe("""
            # HELP metrics_scrape_collections_total Collections run to answer scrapes; scrapes that arrived while one of their format and encoding ran shared it.
            # TYPE metrics_scrape_collections_total counter
            metrics_scrape_collections_total 2

            """);
    }

    [Test]
    public async Task Meters_bound_from_configuration_replace_the_default_selection()
    {
        var meterName = "Metrics.AspNetCore.Tests.Bridge." + Guid.NewGuid().ToString("N");
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["PrometheusMetrics:EnableMeterBridge"] = "true",
                ["PrometheusMetrics:EnableDefaultCollectors"] = "false",
                ["PrometheusMetrics:MeterBridgeMeters:0"] = meterName,
            })
            .Build();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseTestServer();
        builder.Services.AddPrometheusMetrics(configuration.GetSection("PrometheusMetrics"));
        await using var app = builder.Build();
        app.MapPrometheusMetrics();
        await app.StartAsync();
        using var meter = new Meter(meterName);
        meter.CreateCounter<long>("jobs.done", "{job}", "Jobs done.").Add(3);
        var client = app.GetTestClient();

        var scrape = await client.GetStringAsync("/metrics");

        scrape.ShouldBe("""
            # HELP jobs_done_total Jobs done.
            # TYPE jobs_done_total counter
            jobs_done_total 3
            # HELP metrics_bridge_dropped_total Measurements of bridged System.Diagnostics.Metrics instruments that were dropped (name_collision, invalid_value) or recorded without a tag the family lacks (unknown_tag).
            # TYPE metrics_bridge_dropped_total counter
            metrics_bridge_dropped_total{reason="unknown_tag"} 0
            metrics_bridge_dropped_total{reason="name_collision"} 0
            metrics_bridge_dropped_total{reason="invalid_value"} 0
            # HELP metrics_scrape_collections_total Collections run to answer scrapes; scrapes that arrived while one of their format and encoding ran shared it.
            # TYPE metrics_scrape_collections_total counter
            metrics_scrape_collections_total 1

            """);
    }

    [Test]
    public async Task Stopping_the_host_removes_the_bridged_families()
    {
        var app = await TestApplications.StartAsync(
            static app =>
            {
                app.MapGet("/", static () => "ok");
                app.MapPrometheusMetrics();
            },
            static options => options.EnableMeterBridge = true);
        var registry = app.Registry();
        await app.GetTestClient().GetStringAsync("/");
        await Eventually.ShouldBecomeAsync(() => registry.Families.Any(family => family.Name == "http_server_request_duration_seconds"), true);

        await app.StopAsync();
        await app.DisposeAsync();

        registry.Families.Select(family => family.Name).ShouldBe(["metrics_bridge_dropped_total", "metrics_scrape_collections_total"]);
    }

    [Test]
    public async Task With_the_default_collectors_on_the_runtime_meter_duplicates_are_dropped_as_name_collisions()
    {
        await using var app = await TestApplications.StartAsync(
            static app => app.MapPrometheusMetrics(),
            static options =>
            {
                options.EnableDefaultCollectors = true;
                options.EnableMeterBridge = true;
            });

        var snapshot = app.Registry().Collect();

        snapshot.Find("dotnet_gc_collections_total").ShouldNotBeNull().LabelNames.ShouldBe(["generation"]);
        snapshot.Find("dotnet_process_cpu_time_seconds_total").ShouldNotBeNull().LabelNames.ShouldBe(["cpu_mode"]);
        // Each scrape observes dotnet.gc.collections for three generations; exceptions elsewhere in the process may add more.
        snapshot.Find("metrics_bridge_dropped_total").ShouldNotBeNull().Find("name_collision").ShouldNotBeNull().Value.ShouldBeGreaterThanOrEqualTo(3);
    }

    [Test]
    public async Task An_invalid_meter_entry_stops_the_application_at_startup_naming_the_setting()
    {
        var exception = await Should.ThrowAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => TestApplications.StartAsync(
            static app => app.MapPrometheusMetrics(),
            static options =>
            {
                options.EnableMeterBridge = true;
                options.MeterBridgeMeters = ["System.*.Http"];
            }));

        exception.Message.ShouldBe(
            "PrometheusMetricsOptions.MeterBridgeMeters entry 'System.*.Http' is invalid: it must be a meter name, or a prefix ending in '*' such as 'System.Net.*'.");
    }

    private static Task<WebApplication> StartWithItemsRouteAsync() =>
        TestApplications.StartAsync(
            static app =>
            {
                app.MapGet("/items/{id}", static (int id) => id);
                app.MapPrometheusMetrics();
            },
            static options => options.EnableMeterBridge = true);

    private static string? CountLine(MetricRegistry registry) =>
        Lines(registry).FirstOrDefault(line => line.StartsWith(RequestCountOfRoute, StringComparison.Ordinal));

    private static string? CountLine(MetricRegistry registry, string status) =>
        Lines(registry).FirstOrDefault(line => line.StartsWith("http_server_request_duration_seconds_count{", StringComparison.Ordinal)
            && line.Contains($"http_response_status_code=\"{status}\"", StringComparison.Ordinal));

    private static string[] Lines(MetricRegistry registry)
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        MetricsExposition.Write(registry, ExpositionFormat.PrometheusText, output);
        return System.Text.Encoding.UTF8.GetString(output.WrittenSpan).Split('\n');
    }

    private static async Task<WebApplication> StartOnKestrelWithBridgeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(static kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddPrometheusMetrics(static options =>
        {
            options.EnableDefaultCollectors = false;
            options.EnableMeterBridge = true;
        });
        var app = builder.Build();
        app.MapPrometheusMetrics();
        await app.StartAsync();
        return app;
    }
}
