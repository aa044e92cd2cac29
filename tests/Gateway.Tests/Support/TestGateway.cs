using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gateway.Hosting;
using Gateway.Routing;
using Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Support;

/// <summary>
/// The real gateway, built by the same <see cref="GatewayApplication"/> calls as <c>Program.cs</c>, listening on
/// Kestrel at 127.0.0.1 on an OS-chosen port, with its simulated providers on their own ports.
/// </summary>
internal sealed class TestGateway : IAsyncDisposable
{
    public const string OpenMetricsAccept = "application/openmetrics-text; version=1.0.0";

    private readonly WebApplication _app;

    private TestGateway(WebApplication app, Uri baseUri, CapturedLogs logs)
    {
        _app = app;
        BaseUri = baseUri;
        Logs = logs;
        Client = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri BaseUri { get; }

    public HttpClient Client { get; }

    public CapturedLogs Logs { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a gateway; <paramref name="configureBuilder"/> may add services before the gateway's own, such as test middleware.</summary>
    public static async Task<TestGateway> StartAsync(Action<GatewaySettings>? configure = null, Action<WebApplicationBuilder>? configureBuilder = null)
    {
        var settings = new GatewaySettings();
        configure?.Invoke(settings);
        var builder = GatewayApplication.CreateBuilder([]);
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings.Values);
        var logs = new CapturedLogs();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(settings.LogLevel);
        builder.Logging.AddProvider(logs);
        configureBuilder?.Invoke(builder);
        var app = GatewayApplication.Build(builder);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new TestGateway(app, new Uri(address), logs);
    }

    public Provider Provider(string name) => Services.GetRequiredService<ProviderDirectory>()[name];

    /// <summary>Sends <paramref name="json"/> to <paramref name="path"/> with <paramref name="key"/> the way that API's clients send keys.</summary>
    public async Task<HttpResponseMessage> PostAsync(
        string path, string json, string? key = TestKeys.Alpha, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        Authenticate(request, key);
        return await Client.SendAsync(request, completion);
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? key = TestKeys.Alpha, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        Authenticate(request, key);
        return await Client.SendAsync(request);
    }

    public async Task<string> ScrapeTextAsync(string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    public async Task<MetricSamples> ScrapeAsync() => MetricSamples.Parse(await ScrapeTextAsync(OpenMetricsAccept));

    public async Task<JsonElement> GetJsonAsync(string path, string? key = null)
    {
        using var response = await SendAsync(HttpMethod.Get, path, key);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    public async Task SetFaultAsync(string provider, string mode, int? count = null)
    {
        var body = count is null ? $$"""{"mode":"{{mode}}"}""" : $$"""{"mode":"{{mode}}","count":{{count}}}""";
        using var response = await SendAsync(HttpMethod.Post, $"/simulator/providers/{provider}", TestKeys.Alpha, body);
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
    }

    /// <summary>A value straight from the registry, for polling while a request is in flight.</summary>
    public double RegistryValue(string family, params string[] labelValues) =>
        Services.GetRequiredService<MetricRegistry>().Collect().Find(family)?.Find(labelValues)?.Value ?? double.NaN;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static void Authenticate(HttpRequestMessage request, string? key)
    {
        if (key is null)
        {
            return;
        }

        if (request.RequestUri?.OriginalString.StartsWith("/v1/messages", StringComparison.Ordinal) == true)
        {
            request.Headers.TryAddWithoutValidation("x-api-key", key);
            request.Headers.TryAddWithoutValidation("anthropic-version", "2023-06-01");
        }
        else
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
    }
}
