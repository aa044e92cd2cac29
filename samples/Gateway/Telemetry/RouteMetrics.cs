using Gateway.Surfaces;
using Metrics;

namespace Gateway.Telemetry;

/// <summary>
/// The series of one provider serving one model, resolved once: duration, time to first token, tokens, and
/// the successful request counter of each surface the route serves.
/// </summary>
internal sealed class RouteMetrics
{
    private const int StatusOk = 200;
    private readonly GatewayMetrics _metrics;
    private readonly bool _enabled;
    private readonly string _provider;
    private readonly string _model;
    private readonly NativeHistogram _duration;
    private readonly NativeHistogram _timeToFirstToken;
    private readonly Counter _promptTokens;
    private readonly Counter _completionTokens;
    private readonly Counter?[] _okBySurface;

    /// <summary>Resolves the series of <paramref name="provider"/> serving <paramref name="model"/> on <paramref name="surfaces"/>.</summary>
    public RouteMetrics(GatewayMetrics metrics, string provider, string model, IEnumerable<ApiSurface> surfaces)
    {
        _metrics = metrics;
        _enabled = metrics.Enabled;
        _provider = provider;
        _model = model;
        _duration = metrics.Duration.WithLabels(provider, model);
        _timeToFirstToken = metrics.TimeToFirstToken.WithLabels(provider, model);
        _promptTokens = metrics.Tokens.WithLabels(provider, model, "prompt");
        _completionTokens = metrics.Tokens.WithLabels(provider, model, "completion");
        _okBySurface = new Counter?[ApiSurface.All.Count];
        foreach (var surface in surfaces)
        {
            _okBySurface[surface.Index] = metrics.Requests.WithLabels([surface.Label, provider, model, StatusLabels.Of(StatusOk)]);
        }
    }

    /// <summary>Counts a response the provider produced, with the status the client got, and observes its duration.</summary>
    // Hot path for status 200: a cached counter and a histogram observation; must never allocate or lock.
    public void RecordServed(ApiSurface surface, int status, double seconds)
    {
        if (!_enabled)
        {
            return;
        }

        var counter = status == StatusOk ? _okBySurface[surface.Index] : null;
        (counter ?? _metrics.Requests.WithLabels([surface.Label, _provider, _model, StatusLabels.Of(status)])).Inc();
        _duration.Observe(seconds);
    }

    /// <summary>Observes the time from request to the first streamed bytes.</summary>
    public void RecordFirstToken(double seconds)
    {
        if (_enabled)
        {
            _timeToFirstToken.Observe(seconds);
        }
    }

    /// <summary>Adds the tokens a provider reported.</summary>
    public void RecordTokens(long prompt, long completion)
    {
        if (_enabled)
        {
            _promptTokens.Inc(prompt);
            _completionTokens.Inc(completion);
        }
    }
}
