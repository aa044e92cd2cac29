using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Perfolizer.Metrology;
using Prometheus;

namespace Metrics.Benchmarks;

/// <summary>
/// The request middleware's cost per request, measured two ways, each as a set that differs only in the middleware:
/// none, ours (<c>UsePrometheusRequestMetrics</c>), or prometheus-net's <c>UseHttpMetrics</c> with a private registry:
/// <list type="bullet">
/// <item><c>TestServer</c>: a GET to a trivial route through the in-memory test server, as a client sees it.</item>
/// <item><c>Pipeline</c>: the same routing and endpoint pipeline invoked directly on a fresh <see cref="DefaultHttpContext"/>
/// that, like Kestrel for a GET, reports no request body and has a lifetime feature and its connection's items (one
/// keep-alive connection for every request); without the test server's own cost, the difference stands out. The async
/// pair's handler yields, so the middleware has to await it.</item>
/// </list>
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[Config(typeof(ByteUnits))]
public class MiddlewareBenchmarks
{
    private const string Route = "/v1/models/{id}";
    private const string Path = "/v1/models/gpt-4o";
    private const string AsyncRoute = "/v1/slow/{id}";
    private const string AsyncPath = "/v1/slow/gpt-4o";

    private static readonly Action<HttpContext> ModelRequest = static context =>
    {
        context.Request.Method = HttpMethods.Get;
        context.Request.Path = Path;
    };

    // Servers always provide the lifetime feature; without it DefaultHttpContext would build one on first use.
    private static readonly IHttpRequestLifetimeFeature NeverAborted = new HttpRequestLifetimeFeature();

    // Kestrel gives every request its connection's items; one connection carries every request here, as keep-alive does.
    private static readonly IConnectionItemsFeature KeepAliveConnection = new KeepAliveConnectionItems();

    private WebApplication _bareApplication = null!;
    private WebApplication _measuredApplication = null!;
    private WebApplication _prometheusNetApplication = null!;
    private TestServer _bareServer = null!;
    private TestServer _measuredServer = null!;
    private TestServer _prometheusNetServer = null!;
    private ServiceProvider _pipelineServices = null!;
    private RequestDelegate _barePipeline = null!;
    private RequestDelegate _measuredPipeline = null!;
    private RequestDelegate _prometheusNetPipeline = null!;

    private enum Middleware
    {
        None,
        Ours,
        PrometheusNet,
    }

    [GlobalSetup]
    public void Setup()
    {
        _bareApplication = StartApplication(Middleware.None);
        _measuredApplication = StartApplication(Middleware.Ours);
        _prometheusNetApplication = StartApplication(Middleware.PrometheusNet);
        _bareServer = _bareApplication.GetTestServer();
        _measuredServer = _measuredApplication.GetTestServer();
        _prometheusNetServer = _prometheusNetApplication.GetTestServer();
        _pipelineServices = new ServiceCollection()
            .AddSingleton(new DiagnosticListener("Microsoft.AspNetCore"))
            .AddLogging()
            .AddRouting()
            .AddPrometheusMetrics()
            .BuildServiceProvider();
        _barePipeline = BuildPipeline(_pipelineServices, Middleware.None);
        _measuredPipeline = BuildPipeline(_pipelineServices, Middleware.Ours);
        _prometheusNetPipeline = BuildPipeline(_pipelineServices, Middleware.PrometheusNet);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        ((IDisposable)_bareApplication).Dispose();
        ((IDisposable)_measuredApplication).Dispose();
        ((IDisposable)_prometheusNetApplication).Dispose();
        _pipelineServices.Dispose();
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("TestServer")]
    public Task<HttpContext> TestServer_without_middleware() => _bareServer.SendAsync(ModelRequest);

    [Benchmark]
    [BenchmarkCategory("TestServer")]
    public Task<HttpContext> TestServer_with_middleware() => _measuredServer.SendAsync(ModelRequest);

    [Benchmark]
    [BenchmarkCategory("TestServer")]
    public Task<HttpContext> TestServer_with_prometheus_net() => _prometheusNetServer.SendAsync(ModelRequest);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Pipeline")]
    public Task Pipeline_without_middleware() => _barePipeline(NewContext(Path));

    [Benchmark]
    [BenchmarkCategory("Pipeline")]
    public Task Pipeline_with_middleware() => _measuredPipeline(NewContext(Path));

    [Benchmark]
    [BenchmarkCategory("Pipeline")]
    public Task Pipeline_with_prometheus_net() => _prometheusNetPipeline(NewContext(Path));

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Pipeline, async handler")]
    public Task Pipeline_async_handler_without_middleware() => _barePipeline(NewContext(AsyncPath));

    [Benchmark]
    [BenchmarkCategory("Pipeline, async handler")]
    public Task Pipeline_async_handler_with_middleware() => _measuredPipeline(NewContext(AsyncPath));

    [Benchmark]
    [BenchmarkCategory("Pipeline, async handler")]
    public Task Pipeline_async_handler_with_prometheus_net() => _prometheusNetPipeline(NewContext(AsyncPath));

    private DefaultHttpContext NewContext(string path)
    {
        var context = new DefaultHttpContext { RequestServices = _pipelineServices };
        context.Features.Set<IHttpRequestBodyDetectionFeature>(NoRequestBody.Instance);
        context.Features.Set<IHttpRequestLifetimeFeature>(NeverAborted);
        context.Features.Set(KeepAliveConnection);
        context.Request.Method = HttpMethods.Get;
        context.Request.Path = path;
        return context;
    }

    private static WebApplication StartApplication(Middleware middleware)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddPrometheusMetrics(static options => options.EnableDefaultCollectors = false);
        var app = builder.Build();
        Use(app, middleware);
        app.MapGet(Route, static (string id) => id);
        app.StartAsync().GetAwaiter().GetResult();
        return app;
    }

    private static RequestDelegate BuildPipeline(IServiceProvider services, Middleware middleware)
    {
        var app = new ApplicationBuilder(services);
        Use(app, middleware);
        app.UseRouting();
        app.UseEndpoints(static endpoints =>
        {
            endpoints.MapGet(Route, static (string id) => id);
            endpoints.MapGet(AsyncRoute, static async (string id) =>
            {
                await Task.Yield();
                return id;
            });
        });
        return app.Build();
    }

    // Each where its documentation puts it: ours reads the endpoint after the request, prometheus-net's wants routing first.
    private static void Use(IApplicationBuilder app, Middleware middleware)
    {
        if (middleware == Middleware.Ours)
        {
            app.UsePrometheusRequestMetrics();
        }
        else if (middleware == Middleware.PrometheusNet)
        {
            app.UseRouting();
            app.UseHttpMetrics(static options => options.SetMetricFactory(Prometheus.Metrics.WithCustomRegistry(Prometheus.Metrics.NewCustomRegistry())));
        }
    }

    private sealed class KeepAliveConnectionItems : IConnectionItemsFeature
    {
        public IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();
    }

    private sealed class NoRequestBody : IHttpRequestBodyDetectionFeature
    {
        public static readonly NoRequestBody Instance = new();

        public bool CanHaveBody => false;
    }

    // Bytes rather than kilobytes: the difference the middleware makes is far below a kilobyte.
    private sealed class ByteUnits : ManualConfig
    {
        public ByteUnits() => SummaryStyle = SummaryStyle.Default.WithSizeUnit(SizeUnit.B);
    }
}
