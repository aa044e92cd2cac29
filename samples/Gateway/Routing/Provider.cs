using Gateway.Configuration;
using Gateway.Surfaces;
using Gateway.Telemetry;
using Polly.CircuitBreaker;

namespace Gateway.Routing;

/// <summary>
/// One upstream provider at run time: where it listens, its circuit breaker's state, its last health probe and
/// its metric handles.
/// </summary>
internal sealed class Provider
{
    private const int NotProbed = 0;
    private const int ProbeSucceeded = 1;
    private const int ProbeFailed = 2;

    private ProviderEndpoints? _endpoints;
    private int _probe;

    /// <summary>Creates provider <paramref name="name"/>; a configured base URL is used at once, a simulated one once it listens.</summary>
    public Provider(string name, ProviderOptions options, ProviderMetrics metrics)
    {
        Name = name;
        Options = options;
        Metrics = metrics;
        if (!options.IsSimulated)
        {
            UseBaseUri(new Uri(options.BaseUrl!, UriKind.Absolute));
        }
    }

    /// <summary>The configured name: the <c>provider</c> label and the <c>IHttpClientFactory</c> client's suffix.</summary>
    public string Name { get; }

    /// <summary>The provider's configuration.</summary>
    public ProviderOptions Options { get; }

    /// <summary>The protocol the provider speaks.</summary>
    public ProviderStyle Style => Options.Style;

    /// <summary>The provider's metric handles.</summary>
    public ProviderMetrics Metrics { get; }

    /// <summary>The name of the provider's <c>HttpClient</c>, whose handler holds its Polly pipeline.</summary>
    public string ClientName => ClientNameOf(Name);

    /// <summary>Reads the real state of the provider's Polly circuit breaker.</summary>
    public CircuitBreakerStateProvider CircuitBreaker { get; } = new();

    /// <summary>The URL API paths are appended to, or null while a simulated provider is not listening yet.</summary>
    public Uri? BaseUri => Volatile.Read(ref _endpoints)?.BaseUri;

    /// <summary>Whether the last health probe succeeded and the circuit is not open.</summary>
    public bool IsHealthy =>
        Volatile.Read(ref _probe) == ProbeSucceeded
        && CircuitBreaker.CircuitState is not (CircuitState.Open or CircuitState.Isolated);

    /// <summary>The <c>IHttpClientFactory</c> name of provider <paramref name="name"/>'s client.</summary>
    public static string ClientNameOf(string name) => "provider:" + name;

    /// <summary>Points the provider at <paramref name="baseUri"/>.</summary>
    public void UseBaseUri(Uri baseUri) => Volatile.Write(ref _endpoints, new ProviderEndpoints(baseUri));

    /// <summary>The upstream URL of <paramref name="surface"/>.</summary>
    public Uri EndpointFor(ApiSurface surface) => Endpoints.For(surface);

    /// <summary>The upstream URL of the model list, which health probes fetch.</summary>
    public Uri ModelsEndpoint => Endpoints.Models;

    /// <summary>Records the outcome of a health probe; true when it differs from the previous one.</summary>
    public bool RecordProbe(bool succeeded) =>
        Interlocked.Exchange(ref _probe, succeeded ? ProbeSucceeded : ProbeFailed) != (succeeded ? ProbeSucceeded : ProbeFailed);

    private ProviderEndpoints Endpoints =>
        Volatile.Read(ref _endpoints) ?? throw new InvalidOperationException($"Simulated provider '{Name}' is not listening yet.");

    private sealed class ProviderEndpoints
    {
        private readonly Uri[] _surfaces;

        public ProviderEndpoints(Uri baseUri)
        {
            BaseUri = baseUri;
            var prefix = baseUri.AbsoluteUri.TrimEnd('/');
            _surfaces = [.. ApiSurface.All.Select(surface => new Uri(prefix + surface.Path))];
            Models = new Uri(prefix + "/v1/models");
        }

        public Uri BaseUri { get; }

        public Uri Models { get; }

        public Uri For(ApiSurface surface)
        {
            for (var i = 0; i < _surfaces.Length; i++)
            {
                if (ApiSurface.All[i] == surface)
                {
                    return _surfaces[i];
                }
            }

            throw new ArgumentOutOfRangeException(nameof(surface), surface, "Unknown API surface.");
        }
    }
}
