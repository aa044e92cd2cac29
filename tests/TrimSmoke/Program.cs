// The adapter in a trimmed or native AOT application: options bound from configuration (the binding generator's
// path), request and connection metrics, /metrics, /metrics/snapshot, and one metric of the application's own on the shared
// registry; and Core's standalone MetricServer (Smoke:MetricServerUrl) and MetricPusher (Smoke:PushgatewayUrl, pushed
// on POST /push) on the same registry. tests/published-app-smoke.sh publishes it, starts it and checks every one of
// these from outside.
using Metrics;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Services.AddPrometheusMetrics(builder.Configuration.GetSection("PrometheusMetrics"));
builder.WebHost.ConfigureKestrel(static kestrel => kestrel.ConfigureEndpointDefaults(static listen => listen.UsePrometheusConnectionMetrics()));

var app = builder.Build();
app.UsePrometheusRequestMetrics();
app.MapPrometheusMetrics();
app.MapPrometheusMetricsSnapshot();

var registry = app.Services.GetRequiredService<MetricRegistry>();
var greetings = registry.CreateCounterFamily("smoke_greetings_total", "Greetings served, by name.", ["name"]);
await using var server = app.Configuration["Smoke:MetricServerUrl"] is { Length: > 0 } serverUrl
    ? MetricServer.Start(registry, new MetricServerOptions { Url = serverUrl })
    : null;
await using var pusher = app.Configuration["Smoke:PushgatewayUrl"] is { Length: > 0 } pushgatewayUrl
    ? new MetricPusher(registry, new MetricPusherOptions { Endpoint = new Uri(pushgatewayUrl), Job = "trim-smoke", PushOnDispose = false, GroupingLabels = { ["instance"] = "a/b" } })
    : null;
app.MapPost("/push", async () => pusher is null ? Results.NotFound() : (await pusher.PushAsync()) is { Succeeded: true } ? Results.Ok() : Results.StatusCode(502));
app.MapGet("/hello/{name}", (string name) =>
{
    greetings.WithLabels(name).Inc();
    return $"hello {name}";
});
app.MapGet("/health", static () => "ok");

await app.RunAsync();
