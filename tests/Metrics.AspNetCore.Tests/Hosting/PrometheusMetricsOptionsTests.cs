using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Metrics.AspNetCore.Tests.Options;

public sealed class PrometheusMetricsOptionsTests
{
    private static readonly Dictionary<string, string?> Section = new()
    {
        ["PrometheusMetrics:Prefix"] = "gateway_",
        ["PrometheusMetrics:RequestDurationBuckets:0"] = "0.1",
        ["PrometheusMetrics:RequestDurationBuckets:1"] = "1",
        ["PrometheusMetrics:RouteLabel"] = "EndpointName",
        ["PrometheusMetrics:ExcludedPaths:0"] = "/health",
        ["PrometheusMetrics:ExcludedPaths:1"] = "/ready",
        ["PrometheusMetrics:CardinalityLimit"] = "500",
        ["PrometheusMetrics:EnableDefaultCollectors"] = "false",
    };

    [Test]
    public void Options_bind_from_a_configuration_section_replacing_the_default_buckets()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Section).Build();
        using var services = new ServiceCollection().AddPrometheusMetrics(configuration.GetSection("PrometheusMetrics")).BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<PrometheusMetricsOptions>>().Value;

        options.Prefix.ShouldBe("gateway_");
        options.RequestDurationBuckets.ShouldBe([0.1, 1]);
        options.RouteLabel.ShouldBe(RouteLabelMode.EndpointName);
        options.ExcludedPaths.ShouldBe(["/health", "/ready"]);
        options.CardinalityLimit.ShouldBe(500);
        options.EnableDefaultCollectors.ShouldBeFalse();
        services.GetRequiredService<MetricRegistry>().DefaultCardinalityLimit.ShouldBe(500);
    }

    [Test]
    public void Code_configuration_runs_after_binding_and_wins()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Section).Build();
        using var services = new ServiceCollection()
            .AddPrometheusMetrics(configuration.GetSection("PrometheusMetrics"), static options => options.Prefix = "edge_")
            .BuildServiceProvider();

        services.GetRequiredService<IOptions<PrometheusMetricsOptions>>().Value.Prefix.ShouldBe("edge_");
    }

    [Test]
    public async Task Bound_options_shape_the_request_metrics()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(Section);
        builder.Services.AddPrometheusMetrics(builder.Configuration.GetSection("PrometheusMetrics"));
        await using var app = builder.Build();
        app.UsePrometheusRequestMetrics();
        app.MapGet("/health", static () => "ok");
        app.MapGet("/v1/models/{id}", static (string id) => id).WithName("GetModel");
        await app.StartAsync();
        var client = app.GetTestClient();

        (await client.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync("/v1/models/a")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var registry = app.Registry();
        registry.SeriesLines("gateway_http_requests_total").ShouldBe(["GetModel,GET,200 = 1"]);
        registry.SeriesOf("gateway_http_request_duration_seconds", "GetModel", "GET", "200").Histogram!.UpperBounds.ShouldBe([0.1, 1, double.PositiveInfinity]);
        registry.Families.Single(static family => family.Name == "gateway_http_requests_total").CardinalityLimit.ShouldBe(500);
    }

    [TestCase("Prefix", "1gateway_", "PrometheusMetricsOptions.Prefix '1gateway_' is invalid: it must start with a letter, '_' or ':' and hold only letters, digits, '_' and ':'.")]
    [TestCase("Prefix", "gate-way_", "PrometheusMetricsOptions.Prefix 'gate-way_' is invalid: it must start with a letter, '_' or ':' and hold only letters, digits, '_' and ':'.")]
    [TestCase("CardinalityLimit", "0", "PrometheusMetricsOptions.CardinalityLimit 0 is invalid: it must be at least 1.")]
    [TestCase("ExcludedPaths:0", "health", "PrometheusMetricsOptions.ExcludedPaths entry 'health' is invalid: a path must start with '/'.")]
    public async Task Invalid_settings_stop_the_host_at_startup_naming_the_setting(string key, string value, string message)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [$"PrometheusMetrics:{key}"] = value });
        builder.Services.AddPrometheusMetrics(builder.Configuration.GetSection("PrometheusMetrics"));
        await using var app = builder.Build();

        var exception = await Should.ThrowAsync<OptionsValidationException>(() => app.StartAsync());

        exception.Failures.ShouldBe([message]);
    }

    [Test]
    public async Task Invalid_buckets_are_rejected_by_the_registry_with_the_bad_bound()
    {
        var exception = await Should.ThrowAsync<ArgumentException>(() => TestApplications.StartAsync(
            static app => app.UsePrometheusRequestMetrics(),
            static options => options.RequestDurationBuckets = [0.5, 0.1]));

        exception.Message.ShouldStartWith("Bucket bound 0.1 at index 1 does not exceed the previous bound 0.5; bounds must be strictly increasing.");
    }

    [Test]
    public async Task Registry_supplied_by_the_application_receives_the_adapter_metrics()
    {
        var registry = new MetricRegistry();
        registry.CreateCounter("jobs", "Jobs done.").Inc(2);
        await using var app = await TestApplications.StartAsync(
            static app =>
            {
                app.UsePrometheusRequestMetrics();
                app.MapGet("/ping", static () => "pong");
                app.MapPrometheusMetrics();
            },
            configureBuilder: builder => builder.Services.AddSingleton(registry));
        var client = app.GetTestClient();

        (await client.GetAsync("/ping")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var scrape = await client.GetStringAsync("/metrics");

        app.Registry().ShouldBeSameAs(registry);
        registry.ValueOf("http_requests_total", "/ping", "GET", "200").ShouldBe(1);
        scrape.ShouldContain("\njobs_total 2\n");
    }

    [Test]
    public void Request_middleware_without_AddPrometheusMetrics_fails_with_what_to_do()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        using var app = builder.Build();

        Should.Throw<InvalidOperationException>(() => app.UsePrometheusRequestMetrics()).Message.ShouldBe(
            "UsePrometheusRequestMetrics needs the services of AddPrometheusMetrics: call builder.Services.AddPrometheusMetrics() when configuring services.");
    }

    [TestCase(null, true)]
    [TestCase("true", true)]
    [TestCase("false", false)]
    public async Task Default_collectors_are_on_unless_switched_off(string? setting, bool expected)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        if (setting is not null)
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["PrometheusMetrics:EnableDefaultCollectors"] = setting });
        }

        builder.Services.AddPrometheusMetrics(builder.Configuration.GetSection("PrometheusMetrics"));
        await using var app = builder.Build();
        app.MapPrometheusMetrics();
        await app.StartAsync();

        var body = await app.GetTestClient().GetStringAsync("/metrics");

        body.Contains("# TYPE process_cpu_seconds_total counter\n", StringComparison.Ordinal).ShouldBe(expected);
        body.Contains("dotnet_info{version=\"", StringComparison.Ordinal).ShouldBe(expected);
    }
}
