using System.Text.Json.Serialization;
using Gateway.Simulation;
using Gateway.Telemetry;

namespace Gateway.Endpoints;

/// <summary>Source-generated JSON for every body the gateway's own endpoints read and write, in snake_case.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(StatsReport))]
[JsonSerializable(typeof(AccountsReport))]
[JsonSerializable(typeof(AccountStats))]
[JsonSerializable(typeof(IssuedTokenResponse))]
[JsonSerializable(typeof(TokenList))]
[JsonSerializable(typeof(FaultMode))]
[JsonSerializable(typeof(SimulatedProviderState))]
[JsonSerializable(typeof(SimulatedProviderList))]
[JsonSerializable(typeof(OpenAIModelList))]
[JsonSerializable(typeof(AnthropicModelList))]
[JsonSerializable(typeof(OpenAIModel))]
[JsonSerializable(typeof(AnthropicModel))]
internal sealed partial class GatewayJsonContext : JsonSerializerContext;
