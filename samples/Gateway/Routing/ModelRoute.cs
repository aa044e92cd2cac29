using Gateway.Configuration;
using Gateway.Telemetry;

namespace Gateway.Routing;

/// <summary>A model and its ordered provider chain, with the metric handles of each provider serving it.</summary>
internal sealed class ModelRoute
{
    /// <summary>Creates the route of <paramref name="name"/> over <paramref name="providers"/>, which may speak either API.</summary>
    public ModelRoute(string name, IReadOnlyList<Provider> providers, IReadOnlyList<string> upstreamModels, IReadOnlyList<RouteMetrics> metrics)
    {
        Name = name;
        Providers = providers;
        UpstreamModels = upstreamModels;
        Metrics = metrics;
    }

    /// <summary>The model name clients send: the <c>model</c> label.</summary>
    public string Name { get; }

    /// <summary>The providers in order of preference.</summary>
    public IReadOnlyList<Provider> Providers { get; }

    /// <summary>The model's name at <see cref="Providers"/>[i].</summary>
    public IReadOnlyList<string> UpstreamModels { get; }

    /// <summary>The metric handles of <see cref="Providers"/>[i] serving this model.</summary>
    public IReadOnlyList<RouteMetrics> Metrics { get; }

    /// <summary>The API of the first provider, which serves the model while it is healthy.</summary>
    public ProviderStyle Style => Providers[0].Style;

    /// <summary>Whether at least one provider in the chain is healthy.</summary>
    public bool IsAvailable => Providers.Any(provider => provider.IsHealthy);
}
