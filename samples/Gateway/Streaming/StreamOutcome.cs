using Gateway.Routing;

namespace Gateway.Streaming;

/// <summary>What relaying one stream amounted to.</summary>
/// <param name="Usage">The token usage the stream reported.</param>
/// <param name="BytesIn">Bytes read from the provider.</param>
/// <param name="BytesOut">Bytes written to the client, including a closing error event.</param>
/// <param name="Failure">Why the provider's stream broke off, or null when it ended normally or the client left.</param>
internal sealed record StreamOutcome(TokenUsage Usage, long BytesIn, long BytesOut, UpstreamFailure? Failure);
