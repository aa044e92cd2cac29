using System.Diagnostics.CodeAnalysis;
using Gateway.Configuration;
using Gateway.Routing;

namespace Gateway.Simulation;

/// <summary>
/// Starts a <see cref="SimulatedProvider"/> for every provider configured without a base URL, before the gateway
/// takes requests, and points the provider at it. Registered ahead of the other hosted services for that reason.
/// </summary>
internal sealed partial class SimulatedProviderFleet(ProviderDirectory providers, GatewayOptions options, ILogger<SimulatedProviderFleet> logger)
    : IHostedService, IAsyncDisposable
{
    private readonly Dictionary<string, SimulatedProvider> _simulated = new(StringComparer.Ordinal);

    /// <summary>The running simulations, in name order.</summary>
    public IReadOnlyCollection<SimulatedProvider> All => _simulated.Values;

    /// <summary>Finds the simulation of provider <paramref name="name"/>.</summary>
    public bool TryGet(string name, [NotNullWhen(true)] out SimulatedProvider? simulated) => _simulated.TryGetValue(name, out simulated);

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var provider in providers.All.Where(provider => provider.Options.IsSimulated))
        {
            var models = options.Models.Where(model => model.Value.Providers.Contains(provider.Name)).Select(model => model.Key).ToArray();
            var simulated = new SimulatedProvider(provider.Name, provider.Style, provider.Options.Simulation, options.Simulation.ZeroLatency, models);
            await simulated.StartAsync(cancellationToken);
            _simulated.Add(provider.Name, simulated);
            provider.UseBaseUri(simulated.BaseUri);
            LogStarted(logger, provider.Style, provider.Name, simulated.BaseUri);
        }
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var simulated in _simulated.Values)
        {
            await simulated.DisposeAsync();
        }

        _simulated.Clear();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulated {Style} provider {Provider} listens on {BaseUri}.")]
    private static partial void LogStarted(ILogger logger, ProviderStyle style, string provider, Uri baseUri);
}
