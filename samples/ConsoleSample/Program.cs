using Metrics;

// Records what a small LLM proxy would record for a handful of requests, then prints the scrape.
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

var format = args.Contains("--openmetrics") ? ExpositionFormat.OpenMetrics : ExpositionFormat.PrometheusText;
using var stdout = Console.OpenStandardOutput();
await MetricsExposition.WriteAsync(registry, format, stdout);
