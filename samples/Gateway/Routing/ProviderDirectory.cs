using System.Diagnostics.CodeAnalysis;
using Gateway.Configuration;
using Gateway.Telemetry;

namespace Gateway.Routing;

/// <summary>The configured providers, by name.</summary>
internal sealed class ProviderDirectory
{
    private readonly Dictionary<string, Provider> _byName = new(StringComparer.Ordinal);

    /// <summary>Creates every provider of <paramref name="options"/>, with its metric handles.</summary>
    public ProviderDirectory(GatewayOptions options, GatewayMetrics metrics)
    {
        var all = new List<Provider>(options.Providers.Count);
        foreach (var (name, provider) in options.Providers.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            var created = new Provider(name, provider, new ProviderMetrics(metrics, name));
            all.Add(created);
            _byName.Add(name, created);
        }

        All = all;
    }

    /// <summary>Every provider, in name order.</summary>
    public IReadOnlyList<Provider> All { get; }

    /// <summary>How many providers are healthy now.</summary>
    public int HealthyCount => All.Count(provider => provider.IsHealthy);

    /// <summary>The provider named <paramref name="name"/>.</summary>
    public Provider this[string name] => _byName[name];

    /// <summary>Finds the provider named <paramref name="name"/>.</summary>
    public bool TryGet(string name, [NotNullWhen(true)] out Provider? provider) => _byName.TryGetValue(name, out provider);
}
