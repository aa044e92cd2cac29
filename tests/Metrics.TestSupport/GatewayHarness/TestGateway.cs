using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gateway.Hosting;
using Gateway.Listeners;
using Gateway.Routing;
using Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Metrics.Testing.GatewayHarness;

/// <summary>
/// The real gateway, built by the same <see cref="GatewayApplication"/> calls as <c>Program.cs</c>, its public and
/// management listeners on Kestrel at 127.0.0.1 on OS-chosen ports, with its simulated providers on their own ports.
/// <see cref="Client"/> is a tenant's (the public listener), <see cref="Management"/> an operator's.
/// </summary>
internal sealed class TestGateway : IAsyncDisposable
{
    public const string OpenMetricsAccept = "application/openmetrics-text; version=1.0.0";

    private readonly WebApplication _app;

    private TestGateway(WebApplication app, Uri baseUri, Uri managementUri, CapturedLogs logs)
    {
        _app = app;
        BaseUri = baseUri;
        ManagementUri = managementUri;
        Logs = logs;
        Client = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(60) };
        Management = new HttpClient { BaseAddress = managementUri, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>The public listener's URL.</summary>
    public Uri BaseUri { get; }

    /// <summary>The management listener's URL.</summary>
    public Uri ManagementUri { get; }

    /// <summary>A client of the public listener.</summary>
    public HttpClient Client { get; }

    /// <summary>A client of the management listener.</summary>
    public HttpClient Management { get; }

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
        var listeners = app.Services.GetRequiredService<GatewayListeners>();
        return new TestGateway(
            app,
            new Uri(GatewayListeners.ConnectableUrl(listeners.PublicUrls.Single()) + "/"),
            new Uri(GatewayListeners.ConnectableUrl(listeners.ManagementUrls.Single()) + "/"),
            logs);
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

    /// <summary>
    /// Sends <paramref name="body"/> byte for byte to <paramref name="path"/>, declared as <paramref name="contentType"/>
    /// (no Content-Type when null), with <paramref name="key"/> the way that API's clients send keys.
    /// </summary>
    public async Task<HttpResponseMessage> PostBytesAsync(string path, byte[] body, string? contentType, string? key = TestKeys.Alpha)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        if (contentType is not null)
        {
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        Authenticate(request, key);
        return await Client.SendAsync(request);
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

        using var response = await Management.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    public async Task<MetricSamples> ScrapeAsync() => MetricSamples.Parse(await ScrapeTextAsync(OpenMetricsAccept));

    /// <summary>GETs <paramref name="path"/> from the public listener with <paramref name="key"/>; fails unless it answers 2xx.</summary>
    public async Task<JsonElement> GetJsonAsync(string path, string? key)
    {
        using var response = await SendAsync(HttpMethod.Get, path, key);
        return await JsonOfAsync(response);
    }

    /// <summary>GETs <paramref name="path"/> from the management listener; fails unless it answers 2xx.</summary>
    public async Task<JsonElement> ManagementJsonAsync(string path)
    {
        using var response = await Management.GetAsync(path.TrimStart('/'));
        return await JsonOfAsync(response);
    }

    /// <summary>Sends <paramref name="json"/> to <paramref name="path"/> on the management listener, with no key.</summary>
    public async Task<HttpResponseMessage> SendManagementAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await Management.SendAsync(request);
    }

    public async Task SetFaultAsync(string provider, string mode, int? count = null)
    {
        var body = count is null ? $$"""{"mode":"{{mode}}"}""" : $$"""{"mode":"{{mode}}","count":{{count}}}""";
        using var response = await SendManagementAsync(HttpMethod.Post, $"/simulator/providers/{provider}", body);
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A value straight from the registry, for polling while a request is in flight.</summary>
    public double RegistryValue(string family, params string[] labelValues) =>
        Services.GetRequiredService<MetricRegistry>().Collect().Find(family)?.Find(labelValues)?.Value ?? double.NaN;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Management.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task<JsonElement> JsonOfAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue($"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
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
