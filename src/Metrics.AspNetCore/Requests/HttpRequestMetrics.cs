using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Metrics.AspNetCore;

/// <summary>
/// The request metric families, and the caches that take a request from its endpoint, method and status to the
/// series it records into without building label strings.
/// </summary>
internal sealed class HttpRequestMetrics
{
    private readonly MetricFamily<Counter> _requests;
    private readonly MetricFamily<Histogram>? _durations;
    private readonly MetricFamily<NativeHistogram>? _nativeDurations;
    private readonly MetricFamily<Counter> _requestBodyBytes;
    private readonly MetricFamily<Counter> _responseBodyBytes;
    private readonly PathString[] _excludedPaths;
    private readonly RouteLabelMode _routeLabel;
    private readonly string _unmatchedRoute;
    private RouteSeries? _unmatched;

    // A null value marks an excluded endpoint. Endpoints are created by the application, not by clients, so the
    // cache is bounded by the application's own route table.
    private readonly ConcurrentDictionary<Endpoint, RouteSeries?> _byEndpoint = new();
    private readonly ConcurrentDictionary<string, RouteSeries> _byRoute = new(StringComparer.Ordinal);

    public HttpRequestMetrics(MetricRegistry registry, PrometheusMetricsOptions options)
    {
        var prefix = options.Prefix;
        var familyOptions = new FamilyOptions { CardinalityLimit = options.CardinalityLimit, EnableExemplars = options.EnableExemplars };
        _requests = registry.CreateCounterFamily(
            prefix + "http_requests_total",
            "HTTP requests handled, by route template, method and status code; 499 means the client went away first.",
            ["route", "method", "status"],
            familyOptions);
        const string DurationName = "http_request_duration_seconds";
        const string DurationHelp = "Time to handle an HTTP request, in seconds, by route template, method and status code.";
        IReadOnlyList<double> durationBuckets = options.RequestDurationBuckets is { } buckets ? [.. buckets] : PrometheusMetricsOptions.DefaultRequestDurationBuckets;
        if (options.NativeRequestDuration)
        {
            _nativeDurations = registry.CreateNativeHistogramFamily(
                prefix + DurationName,
                DurationHelp,
                ["route", "method", "status"],
                new NativeHistogramOptions { ClassicBuckets = durationBuckets, RecordActivityExemplars = options.EnableExemplars },
                familyOptions);
        }
        else
        {
            _durations = registry.CreateHistogramFamily(prefix + DurationName, DurationHelp, ["route", "method", "status"], durationBuckets, familyOptions);
        }

        _requestBodyBytes = registry.CreateCounterFamily(
            prefix + "http_request_body_bytes_total",
            "Request body bytes the application read, by route template.",
            ["route"],
            familyOptions);
        _responseBodyBytes = registry.CreateCounterFamily(
            prefix + "http_response_body_bytes_total",
            "Response body bytes the application wrote, by route template.",
            ["route"],
            familyOptions);
        InFlight = registry.CreateGauge(prefix + "http_requests_in_flight", "HTTP requests being handled now.");
        _excludedPaths = [.. options.ExcludedPaths.Select(static path => new PathString(path))];
        _routeLabel = options.RouteLabel;
        _unmatchedRoute = _routeLabel == RouteLabelMode.None ? "" : PrometheusMetricsOptions.UnmatchedRoute;
    }

    public Gauge InFlight { get; }

    /// <summary>Whether <paramref name="path"/> falls under one of the excluded path prefixes.</summary>
    // Hot path: segment comparisons only; must never allocate.
    public bool IsExcludedPath(PathString path)
    {
        foreach (var excluded in _excludedPaths)
        {
            if (path.StartsWithSegments(excluded, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The series of the route that <paramref name="endpoint"/> serves; null when the endpoint is excluded.</summary>
    // Hot path: one lock-free dictionary read once the endpoint has been seen; must never allocate.
    public RouteSeries? RouteOf(Endpoint? endpoint)
    {
        if (endpoint is null)
        {
            // Created on first use, so an application without unmatched requests shows no unmatched series.
            return _unmatched ??= RouteNamed(_unmatchedRoute);
        }

        return _byEndpoint.TryGetValue(endpoint, out var route)
            ? route
            : _byEndpoint.GetOrAdd(endpoint, static (endpoint, metrics) => metrics.CreateRoute(endpoint), this);
    }

    internal RequestSeries CreateOutcome(string route, int methodIndex, int status)
    {
        var method = HttpMethodLabel.LabelOf(methodIndex);
        var code = status.ToString(CultureInfo.InvariantCulture);
        return new RequestSeries(
            _requests.WithLabels(route, method, code), _durations?.WithLabels(route, method, code), _nativeDurations?.WithLabels(route, method, code));
    }

    private RouteSeries? CreateRoute(Endpoint endpoint) => IsExcluded(endpoint) ? null : RouteNamed(RouteLabelOf(endpoint));

    private RouteSeries RouteNamed(string route) =>
        _byRoute.GetOrAdd(
            route,
            static (route, metrics) => new RouteSeries(metrics, route, metrics._requestBodyBytes.WithLabels(route), metrics._responseBodyBytes.WithLabels(route)),
            this);

    private string RouteLabelOf(Endpoint endpoint) => _routeLabel switch
    {
        RouteLabelMode.None => "",
        RouteLabelMode.EndpointName => endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? TemplateOf(endpoint),
        _ => TemplateOf(endpoint),
    };

    // Endpoints that are not route endpoints, such as routing's own 405 endpoint for a known path with another
    // method, count as unmatched: the request matched none of the application's routes.
    private static string TemplateOf(Endpoint endpoint) =>
        endpoint is RouteEndpoint { RoutePattern.RawText: { } template }
            ? template.StartsWith('/') ? template : "/" + template
            : PrometheusMetricsOptions.UnmatchedRoute;

    private static bool IsExcluded(Endpoint endpoint) =>
        endpoint.Metadata.GetMetadata<RequestMetricsExclusion>() is not null
#if NET9_0_OR_GREATER
        || endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IDisableHttpMetricsMetadata>() is not null
#endif
        ;
}
