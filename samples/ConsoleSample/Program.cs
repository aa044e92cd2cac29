using System.Runtime.InteropServices;
using Metrics;

// Records what a small LLM proxy would record for a handful of requests, then, with no web framework at all:
//   (no arguments) [--openmetrics]   prints the scrape;
//   --serve URL                       serves it with the standalone MetricServer until Ctrl+C;
//   --push URL --job NAME             pushes it to a Pushgateway once, as a batch job does before it exits.
var registry = new MetricRegistry();
var requests = registry.CreateCounterFamily("llm_requests_total", "Requests by API surface, model and status.", ["surface", "model", "status"]);
var latency = registry.CreateHistogramFamily("llm_request_duration_seconds", "Time to serve a request.", ["model"], [0.1, 0.25, 0.5, 1, 2.5, 5, 10]);
var inFlight = registry.CreateGauge("llm_requests_in_flight", "Requests being served.");
var tokens = registry.CreateDoubleCounterFamily("llm_tokens", "Tokens by model and kind.", ["model", "type"]);
registry.CreateCallbackGauge("llm_backends_healthy", "Backends that pass their health check.", () => 2);

(string Model, int Status, double Seconds, int Prompt, int Completion)[] traffic =
[
    ("gpt-4o", 200, 0.42, 120, 380),
    ("gpt-4o", 200, 1.7, 64, 900),
    ("claude-sonnet-4", 200, 0.9, 300, 512),
    ("claude-sonnet-4", 429, 0.05, 0, 0),
];

foreach (var (model, status, seconds, prompt, completion) in traffic)
{
    using (inFlight.Track())
    {
        requests.WithLabels("openai_chat", model, status.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc();
        latency.WithLabels(model).Observe(seconds);
        tokens.WithLabels(model, "prompt").Inc(prompt);
        tokens.WithLabels(model, "completion").Inc(completion);
    }
}

if (Option("--serve") is { } serveUrl)
{
    var stopped = new TaskCompletionSource();
    using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal => Stop(signal, stopped));
    using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal => Stop(signal, stopped));
    await using var server = MetricServer.Start(registry, new MetricServerOptions { Url = serveUrl });
    Console.WriteLine($"Serving {server.Url}; Ctrl+C stops.");
    await stopped.Task;
    return 0;
}

if (Option("--push") is { } pushUrl)
{
    var options = new MetricPusherOptions { Endpoint = new Uri(pushUrl), Job = Option("--job") ?? "console_sample", PushOnDispose = false };
    await using var pusher = new MetricPusher(registry, options);
    var result = await pusher.PushAsync();
    Console.WriteLine(result.Succeeded
        ? $"Pushed to {result.Url}."
        : $"Push to {result.Url} failed after {result.Attempts} attempts: {result.StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? result.Error?.Message} {result.Message}");
    return result.Succeeded ? 0 : 1;
}

var format = args.Contains("--openmetrics") ? ExpositionFormat.OpenMetrics : ExpositionFormat.PrometheusText;
using var stdout = Console.OpenStandardOutput();
await MetricsExposition.WriteAsync(registry, format, stdout);
return 0;

// The server stops when the signal arrives, after the scrapes in progress are answered.
static void Stop(PosixSignalContext signal, TaskCompletionSource stopped)
{
    signal.Cancel = true;
    stopped.TrySetResult();
}

string? Option(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
