using System.Text.Json.Serialization;

namespace Metrics.AspNetCore;

/// <summary>
/// Source-generated serialization of the usage document, so the endpoint needs no reflection and stays trim- and
/// AOT-safe. Non-finite numbers, such as a gauge set to NaN, are written as the strings <c>"NaN"</c>,
/// <c>"Infinity"</c> and <c>"-Infinity"</c>, which JSON numbers cannot express.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(UsageDocument))]
internal sealed partial class UsageJsonContext : JsonSerializerContext;
