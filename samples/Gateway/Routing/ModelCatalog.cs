using System.Diagnostics.CodeAnalysis;
using Gateway.Configuration;
using Gateway.Surfaces;
using Gateway.Telemetry;

namespace Gateway.Routing;

/// <summary>The configured models, by the name clients send.</summary>
internal sealed class ModelCatalog
{
    private readonly Dictionary<string, ModelRoute> _byName = new(StringComparer.Ordinal);

    /// <summary>Creates every model route of <paramref name="options"/>, resolving each route's metric handles.</summary>
    public ModelCatalog(GatewayOptions options, ProviderDirectory providers, GatewayMetrics metrics)
    {
        var all = new List<ModelRoute>(options.Models.Count);
        foreach (var (name, model) in options.Models.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            var chain = model.Providers.Select(providerName => providers[providerName]).ToArray();
            var surfaces = ApiSurface.All.Where(surface => surface.Style == chain[0].Style).ToArray();
            var routeMetrics = chain.Select(provider => new RouteMetrics(metrics, provider.Name, name, surfaces)).ToArray();
            var route = new ModelRoute(name, chain, routeMetrics);
            all.Add(route);
            _byName.Add(name, route);
        }

        All = all;
    }

    /// <summary>Every model, in name order.</summary>
    public IReadOnlyList<ModelRoute> All { get; }

    /// <summary>How many models have at least one healthy provider now.</summary>
    public int AvailableCount => All.Count(route => route.IsAvailable);

    /// <summary>Finds the model named <paramref name="name"/>.</summary>
    public bool TryFind(string name, [NotNullWhen(true)] out ModelRoute? route) => _byName.TryGetValue(name, out route);
}
