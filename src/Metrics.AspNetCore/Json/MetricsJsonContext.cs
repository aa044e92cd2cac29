using System.Text.Json.Serialization;

namespace Metrics.AspNetCore;

/// <summary>
/// The one source-generated serializer of the adapter's JSON (the snapshot, the history and live documents, the
/// dashboard's configuration and every endpoint's error), so no endpoint needs reflection and all stay trim- and
/// AOT-safe. Names are camelCase, null properties are left out, and every non-finite number is written as
/// <c>null</c> (see <see cref="NonFiniteAsNullConverter"/>), the same in every endpoint.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(NonFiniteAsNullConverter)])]
[JsonSerializable(typeof(EndpointError))]
[JsonSerializable(typeof(SnapshotDocument))]
[JsonSerializable(typeof(HistoryDocument))]
[JsonSerializable(typeof(DashboardConfig))]
internal sealed partial class MetricsJsonContext : JsonSerializerContext;
