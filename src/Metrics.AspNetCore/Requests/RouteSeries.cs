using System.Collections.Concurrent;

namespace Metrics.AspNetCore;

/// <summary>
/// The series of one <c>route</c> label value: its body byte counters, and a cache of its (method, status) outcomes
/// keyed by integers, so a request never formats its status code or hashes its label strings.
/// </summary>
internal sealed class RouteSeries
{
    private readonly HttpRequestMetrics _metrics;
    private readonly ConcurrentDictionary<long, RequestSeries> _outcomes = new();

    public RouteSeries(HttpRequestMetrics metrics, string route, Counter requestBodyBytes, Counter responseBodyBytes)
    {
        _metrics = metrics;
        Route = route;
        RequestBodyBytes = requestBodyBytes;
        ResponseBodyBytes = responseBodyBytes;
    }

    public string Route { get; }

    public Counter RequestBodyBytes { get; }

    public Counter ResponseBodyBytes { get; }

    /// <summary>The series of requests with method label <paramref name="methodIndex"/> that ended with <paramref name="status"/>.</summary>
    // Hot path: one lock-free dictionary read once the outcome has been seen; must never allocate.
    public RequestSeries For(int methodIndex, int status)
    {
        var key = ((long)methodIndex << 32) | (uint)status;
        return _outcomes.TryGetValue(key, out var series)
            ? series
            : _outcomes.GetOrAdd(key, static (key, route) => route._metrics.CreateOutcome(route.Route, (int)(key >> 32), (int)key), this);
    }
}
