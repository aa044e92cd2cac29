using Gateway.Simulation;

namespace Gateway.Endpoints;

/// <summary>The body of <c>POST /simulator/providers/{name}</c>, as <see cref="FaultRequestReader"/> read it.</summary>
/// <param name="Mode">The fault to show.</param>
/// <param name="Count">How many completion requests it applies to; null for until changed.</param>
internal sealed record FaultRequest(FaultMode Mode, int? Count);

/// <summary>A simulated provider's state.</summary>
/// <param name="Provider">The provider name.</param>
/// <param name="Style">The protocol it speaks.</param>
/// <param name="BaseUrl">Where it listens.</param>
/// <param name="Mode">The fault it shows.</param>
/// <param name="Remaining">How many more completion requests see the fault; null for until changed.</param>
internal sealed record SimulatedProviderState(string Provider, string Style, string BaseUrl, FaultMode Mode, int? Remaining);

/// <summary>The answer to <c>GET /simulator/providers</c>.</summary>
/// <param name="Providers">Every simulated provider.</param>
internal sealed record SimulatedProviderList(IReadOnlyList<SimulatedProviderState> Providers);
