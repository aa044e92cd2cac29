// The three-line setup: AddPrometheusMetrics, UsePrometheusRequestMetrics and MapPrometheusMetrics.
// Run it, send a few requests, then read http://localhost:5000/metrics and http://localhost:5000/metrics/snapshot.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddPrometheusMetrics(builder.Configuration.GetSection("PrometheusMetrics"));
// Optional: count Kestrel connections too (http_connections_active, http_connections_total).
builder.WebHost.ConfigureKestrel(static kestrel => kestrel.ConfigureEndpointDefaults(static listen => listen.UsePrometheusConnectionMetrics()));

var app = builder.Build();
app.UsePrometheusRequestMetrics();
app.MapPrometheusMetrics();
app.MapPrometheusMetricsSnapshot();

string[] models = ["gpt-4o", "claude-sonnet-4", "llama-3.1-70b"];
app.MapGet("/health", static () => "ok");
app.MapGet("/v1/models", () => models);
app.MapGet("/v1/models/{id}", (string id) => models.Contains(id) ? Results.Ok(new { id }) : Results.NotFound());
app.MapPost("/v1/echo", static async (HttpRequest request) =>
{
    using var reader = new StreamReader(request.Body);
    return await reader.ReadToEndAsync();
});

app.Run();
