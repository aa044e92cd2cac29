using System.Text;
using Gateway.Configuration;
using Gateway.Routing;
using Gateway.Simulation;
using Gateway.Surfaces;

namespace Gateway.Hosting;

/// <summary>
/// The bounded traffic generator behind <c>--demo-traffic</c>: it calls the gateway over HTTP like any client, mixing
/// surfaces, models, streaming, translated calls and a few bad requests, and in the middle turns the first simulated provider to failing
/// and back, so that failover, the circuit breaker and the error metrics all fill within a minute.
/// </summary>
internal sealed partial class DemoTraffic(
    IHttpClientFactory clients,
    GatewayOptions options,
    ModelCatalog models,
    SimulatedProviderFleet fleet,
    ILogger<DemoTraffic> logger)
{
    /// <summary>How many requests one run sends.</summary>
    public const int Requests = 240;

    private const int Concurrency = 4;

    /// <summary>Sends the demo traffic to the gateway at <paramref name="gatewayUrl"/>; returns when it is done.</summary>
    public async Task RunAsync(Uri gatewayUrl, CancellationToken cancellationToken)
    {
        var key = options.Accounts.Values.FirstOrDefault()?.ApiKey;
        if (key is null || models.All.Count == 0)
        {
            LogNothingToDo(logger);
            return;
        }

        using var client = clients.CreateClient();
        client.BaseAddress = gatewayUrl;
        client.DefaultRequestHeaders.Authorization = new("Bearer", key);
        var victim = fleet.All.FirstOrDefault();
        var sent = 0;
        var succeeded = 0;
        LogStarting(logger, Requests, gatewayUrl);
        while (sent < Requests && !cancellationToken.IsCancellationRequested)
        {
            if (victim is not null && sent == Requests / 3)
            {
                victim.Faults.Set(FaultMode.Failing, count: null);
                LogFlipped(logger, victim.Name, "failing");
            }
            else if (victim is not null && sent == 2 * Requests / 3)
            {
                victim.Faults.Set(FaultMode.Healthy, count: null);
                LogFlipped(logger, victim.Name, "healthy");
            }

            var batch = Enumerable.Range(sent, Math.Min(Concurrency, Requests - sent)).Select(index => SendAsync(client, index, cancellationToken));
            var results = await Task.WhenAll(batch);
            succeeded += results.Count(ok => ok);
            sent += results.Length;
        }

        LogDone(logger, sent, succeeded, sent - succeeded);
    }

    private async Task<bool> SendAsync(HttpClient client, int index, CancellationToken cancellationToken)
    {
        using var request = RequestFor(index);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            await response.Content.CopyToAsync(Stream.Null, cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private HttpRequestMessage RequestFor(int index)
    {
        // Every 25th request is malformed and every 40th names an unknown model, so error metrics fill too.
        if (index % 25 == 24)
        {
            return Post(ApiSurface.OpenAIChat, "{\"model\": \"broken");
        }

        var route = models.All[index % models.All.Count];
        var modelName = index % 40 == 39 ? "no-such-model" : route.Name;
        var stream = index % 3 == 0 ? "true" : "false";
        var prompt = $"Demo request {index}: say something about metrics.";

        // Every tenth request asks in the other API than the model's providers speak, so it is translated.
        var crossed = index % 10 == 5;
        if ((route.Style == ProviderStyle.Anthropic) != crossed)
        {
            return Post(ApiSurface.AnthropicMessages, $$"""{"model":"{{modelName}}","max_tokens":64,"stream":{{stream}},"messages":[{"role":"user","content":"{{prompt}}"}]}""");
        }

        // Alternate surfaces per round through the models, so every OpenAI model sees both.
        return index / models.All.Count % 2 == 0
            ? Post(ApiSurface.OpenAIChat, $$"""{"model":"{{modelName}}","stream":{{stream}},"messages":[{"role":"user","content":"{{prompt}}"}]}""")
            : Post(ApiSurface.OpenAIResponses, $$"""{"model":"{{modelName}}","stream":{{stream}},"input":"{{prompt}}"}""");
    }

    private static HttpRequestMessage Post(ApiSurface surface, string json) =>
        new(HttpMethod.Post, surface.Path.TrimStart('/')) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo traffic: sending {Requests} requests to {Url}.")]
    private static partial void LogStarting(ILogger logger, int requests, Uri url);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo traffic: simulated provider {Provider} is now {Mode}.")]
    private static partial void LogFlipped(ILogger logger, string provider, string mode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo traffic done: {Sent} requests, {Succeeded} succeeded, {Failed} failed. See /metrics and /v1/stats.")]
    private static partial void LogDone(ILogger logger, int sent, int succeeded, int failed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo traffic needs at least one account and one model; nothing to send.")]
    private static partial void LogNothingToDo(ILogger logger);
}
