using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.Endpoints;

/// <summary>
/// <c>GET /health</c> through ASP.NET Core health checks: 200 with every provider healthy or some (degraded),
/// 503 with none, and a JSON body that says how many.
/// </summary>
internal static class HealthEndpoint
{
    /// <summary>Maps the endpoint.</summary>
    public static void MapHealthEndpoint(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteAsync });

    private static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.BodyWriter);
        json.WriteStartObject();
        json.WriteString("status", report.Status.ToString().ToLowerInvariant());
        foreach (var entry in report.Entries.Values)
        {
            json.WriteString("description", entry.Description);
            foreach (var (key, value) in entry.Data)
            {
                json.WriteNumber(key, Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        json.WriteEndObject();
    }
}
