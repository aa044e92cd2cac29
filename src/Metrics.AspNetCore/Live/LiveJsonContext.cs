using System.Text.Json.Serialization;

namespace Metrics.AspNetCore;

/// <summary>
/// Source-generated serialization of the history documents, so the live endpoints need no
/// reflection and stay trim- and AOT-safe; camelCase and null-omitting like <see cref="UsageJsonContext"/>.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HistoryDocument))]
internal sealed partial class LiveJsonContext : JsonSerializerContext;
