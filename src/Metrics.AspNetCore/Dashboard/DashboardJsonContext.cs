using System.Text.Json.Serialization;

namespace Metrics.AspNetCore;

/// <summary>Source-generated serialization of the dashboard's configuration, camelCase and without nulls, trim- and AOT-safe.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DashboardConfig))]
internal sealed partial class DashboardJsonContext : JsonSerializerContext;
