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
            var upstreamModels = chain.Select(provider => model.UpstreamModels.GetValueOrDefault(provider.Name, name)).ToArray();

            // Translation lets every generating surface reach every provider, so each route counts requests from all of
            // them; token counts reach only providers of Anthropic's API.
            var routeMetrics = chain
                .Select(provider => new RouteMetrics(metrics, provider.Name, name, ApiSurface.All.Where(surface => surface.Generates || surface.Style == provider.Style)))
                .ToArray();
            var route = new ModelRoute(name, chain, upstreamModels, routeMetrics);
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
