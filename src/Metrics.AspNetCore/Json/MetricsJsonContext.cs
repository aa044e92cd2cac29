using System.Text.Json.Serialization;

namespace Metrics.AspNetCore;

/// <summary>Source-generated serialization of <see cref="EndpointError"/>, camelCase like the endpoints' documents.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(EndpointError))]
internal sealed partial class EndpointJsonContext : JsonSerializerContext;
