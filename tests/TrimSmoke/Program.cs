// The adapter in a trimmed or native AOT application: options bound from configuration (the binding generator's
// path), request and connection metrics, /metrics, /metrics/snapshot, and one metric of the application's own on the shared
// registry. tests/published-app-smoke.sh publishes it, starts it and checks every one of these from outside.
using Metrics;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Services.AddPrometheusMetrics(builder.Configuration.GetSection("PrometheusMetrics"));
builder.WebHost.ConfigureKestrel(static kestrel => kestrel.ConfigureEndpointDefaults(static listen => listen.UsePrometheusConnectionMetrics()));

var app = builder.Build();
app.UsePrometheusRequestMetrics();
app.MapPrometheusMetrics();
app.MapPrometheusMetricsSnapshot();

var greetings = app.Services.GetRequiredService<MetricRegistry>()
    .CreateCounterFamily("smoke_greetings_total", "Greetings served, by name.", ["name"]);
app.MapGet("/hello/{name}", (string name) =>
{
    greetings.WithLabels(name).Inc();
    return $"hello {name}";
});
app.MapGet("/health", static () => "ok");

app.Run();
