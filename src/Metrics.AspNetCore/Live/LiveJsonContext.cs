using System.Text.Json.Serialization;

namespace Metrics.AspNetCore;

/// <summary>
/// Source-generated serialization of the history documents and their errors, so the live endpoints need no
/// reflection and stay trim- and AOT-safe; camelCase and null-omitting like <see cref="UsageJsonContext"/>.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HistoryDocument))]
[JsonSerializable(typeof(HistoryError))]
internal sealed partial class LiveJsonContext : JsonSerializerContext;
