using System.Collections.ObjectModel;

namespace Metrics.AspNetCore;

/// <summary>
/// Settings of the ASP.NET Core adapter. Set them in <c>AddPrometheusMetrics(options =&gt; …)</c> or bind them from a
/// configuration section; they are read once, when the adapter's metrics are first resolved.
/// </summary>
public sealed class PrometheusMetricsOptions
{
    /// <summary>
    /// The <c>route</c> label of a request that matched no endpoint. It is one fixed value, so a scan of random paths
    /// adds at most one series.
    /// </summary>
    internal const string UnmatchedRoute = "unmatched";

    /// <summary>
    /// The <c>status</c> recorded when the client went away before its request completed: nginx's
    /// "499 Client Closed Request". It wins over the status the handler set, and over 500 for a handler that then threw.
    /// </summary>
    internal const int ClientClosedRequestStatus = 499;

    /// <summary>
    /// The request duration buckets used when <see cref="RequestDurationBuckets"/> is null, in seconds:
    /// 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5 and 10. They are the Prometheus defaults with
    /// two finer buckets below 5 ms, where cached and in-memory API responses land.
    /// </summary>
    public static IReadOnlyList<double> DefaultRequestDurationBuckets { get; } =
        new ReadOnlyCollection<double>([0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);

    /// <summary>
    /// The meters <see cref="EnableMeterBridge"/> bridges when <see cref="MeterBridgeMeters"/> is null: ASP.NET Core's
    /// <c>Microsoft.AspNetCore.Hosting</c> and <c>Microsoft.AspNetCore.Server.Kestrel</c>, <c>System.Net.Http</c> and
    /// the runtime's <c>System.Runtime</c>.
    /// </summary>
    public static IReadOnlyList<string> DefaultMeterBridgeMeters { get; } = new ReadOnlyCollection<string>(
        ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http", "System.Runtime"]);

    /// <summary>
    /// Prepended to the name of every metric the adapter registers, for example <c>gateway_</c> gives
    /// <c>gateway_http_requests_total</c>. Empty by default. The prefixed names must be valid Prometheus names.
    /// </summary>
    public string Prefix { get; set; } = "";

    /// <summary>
    /// The finite, strictly increasing upper bounds of <c>http_request_duration_seconds</c>, in seconds; <c>+Inf</c>
    /// is implicit. Null, the default, means <see cref="DefaultRequestDurationBuckets"/>.
    /// </summary>
    /// <remarks>Null rather than pre-filled so that binding a list from configuration replaces the defaults instead of appending to them.</remarks>
#pragma warning disable CA2227 // Settable so configuration binding and object initializers can replace the whole layout.
    public IList<double>? RequestDurationBuckets { get; set; }
#pragma warning restore CA2227

    /// <summary>
    /// Whether <c>http_request_duration_seconds</c> is a native histogram (bucket factor 1.1, at most 160 buckets)
    /// that keeps <see cref="RequestDurationBuckets"/> as its classic buckets: Prometheus with native histograms
    /// enabled reads the native ones over protobuf, text scrapers the classic ones. False by default.
    /// </summary>
    public bool NativeRequestDuration { get; set; }

    /// <summary>What the <c>route</c> label holds; <see cref="RouteLabelMode.Template"/> by default.</summary>
    public RouteLabelMode RouteLabel { get; set; } = RouteLabelMode.Template;

    /// <summary>
    /// Path prefixes whose requests the middleware leaves unrecorded, matched whole segments at a time and ignoring
    /// case, for example <c>/health</c> (which also covers <c>/health/ready</c> but not <c>/healthz</c>). Each must start
    /// with <c>/</c>. The endpoint of <c>MapPrometheusMetrics</c> is always excluded, wherever it is mapped.
    /// </summary>
    public IList<string> ExcludedPaths { get; } = [];

    /// <summary>
    /// The most distinct label sets each of the adapter's labeled families keeps; further ones fold into the
    /// <see cref="MetricFamily.OverflowLabelValue"/> series. It is also the default limit of the registry that
    /// <c>AddPrometheusMetrics</c> creates when the application supplies none. Defaults to
    /// <see cref="MetricRegistryOptions.DefaultCardinalityLimitValue"/>.
    /// </summary>
    public int CardinalityLimit { get; set; } = MetricRegistryOptions.DefaultCardinalityLimitValue;

    /// <summary>
    /// Whether the registry also exposes the process metrics (<c>process_*</c>) and .NET runtime metrics
    /// (<c>dotnet_*</c>) of <see cref="DefaultCollectors"/>, added when the host starts. On by default.
    /// </summary>
    public bool EnableDefaultCollectors { get; set; } = true;

    /// <summary>
    /// Whether the registry also exposes the <see cref="System.Diagnostics.Metrics"/> instruments of the meters in
    /// <see cref="MeterBridgeMeters"/>, through <see cref="MeterBridgeRegistryExtensions.AddMeterBridge"/>: ASP.NET Core's
    /// own <c>http_server_request_duration_seconds</c>, Kestrel's <c>kestrel_active_connections</c>, HttpClient's and the
    /// runtime's metrics. Meters that the application's <c>IMeterFactory</c> did not create, but another one did, are left
    /// out. The bridge starts with the host and stops with it. Off by default.
    /// </summary>
    public bool EnableMeterBridge { get; set; }

    /// <summary>
    /// The meters <see cref="EnableMeterBridge"/> bridges: exact names, or prefixes ending in <c>*</c>, ignoring case.
    /// Null, the default, means <see cref="DefaultMeterBridgeMeters"/>.
    /// </summary>
    /// <remarks>Null rather than pre-filled so that binding a list from configuration replaces the defaults instead of appending to them.</remarks>
#pragma warning disable CA2227 // Settable so configuration binding and object initializers can replace the whole selection.
    public IList<string>? MeterBridgeMeters { get; set; }
#pragma warning restore CA2227

    /// <summary>
    /// The quantiles every JSON endpoint estimates for histograms, each between 0 and 1, strictly increasing: the
    /// snapshot's <c>quantiles</c> of each histogram series and aggregate, and the history's per-point
    /// <c>quantiles</c> of <c>AddPrometheusMetricsHistory</c> (which the dashboard charts). Null, the default, means
    /// <see cref="MetricHistoryOptions.DefaultQuantiles"/>: 0.5, 0.95 and 0.99.
    /// </summary>
    /// <remarks>Null rather than pre-filled so that binding a list from configuration replaces the defaults instead of appending to them.</remarks>
#pragma warning disable CA2227 // Settable so configuration binding and object initializers can replace the whole set.
    public IList<double>? Quantiles { get; set; }
#pragma warning restore CA2227

    /// <summary>
    /// Whether <c>http_requests_total</c> and the buckets of <c>http_request_duration_seconds</c> carry OpenMetrics
    /// exemplars (<c>trace_id</c>, <c>span_id</c>) from the request's sampled <see cref="System.Diagnostics.Activity"/>.
    /// Exemplars appear only in OpenMetrics scrapes. Off by default.
    /// </summary>
    public bool EnableExemplars { get; set; }

    /// <summary>
    /// How long the bytes of a finished scrape answer later scrapes of the same format and encoding. Zero, the default,
    /// keeps nothing: every scrape shows everything recorded before it arrived, and only scrapes that arrive while a
    /// collection is running share it (they always do). Set a second or so where many scrapers poll one process; their
    /// scrapes then show values up to that old. At most one minute.
    /// </summary>
    public TimeSpan ScrapeCacheDuration { get; set; }

    /// <summary>
    /// The least time between two collections of one format and encoding: a scrape that arrives sooner after the last
    /// one began waits for the next, which it shares with every scrape arriving meanwhile, and still shows everything
    /// recorded before it arrived. So a flood of scrapers runs one collection per interval and mostly waits, leaving the
    /// processor to the application. 100 milliseconds by default (a single scraper never notices); zero lets
    /// collections run back to back. At most ten seconds.
    /// </summary>
    public TimeSpan ScrapeMinimumInterval { get; set; } = ScrapeCacheOptions.DefaultMinimumInterval;

    /// <summary>
    /// The longest query string, in characters, that the snapshot, history, stream and WebSocket endpoints accept; a longer one gets 414 with a JSON error. 4096 by default: a dashboard's query is a few hundred.
    /// </summary>
    public int QueryLengthLimit { get; set; } = 4096;

    /// <summary>
    /// The most distinct <c>family</c> selectors one history, stream or WebSocket query may name, after identical ones
    /// are merged; more get 400 with a JSON error. 64 by default.
    /// </summary>
    public int QuerySelectorLimit { get; set; } = 64;

    /// <summary>
    /// The most clients the stream and WebSocket endpoints serve at once, together; the next one gets 503 with a JSON
    /// error and a <c>Retry-After</c> header, and counts in <c>metrics_live_clients_rejected_total</c>. 100 by default.
    /// </summary>
    public int LiveClientLimit { get; set; } = 100;

    /// <summary>
    /// How long a live client may take in nothing: a write it does not take up in this time (its connection's buffers
    /// stay full, or on Linux its TCP window stays under half the largest it advertised), or, on WebSocket, a ping it
    /// does not answer, drops it, counted in <c>metrics_live_clients_dropped_total</c>. A stream client whose messages
    /// are too small to fill its window and that shows no sign of reading for this long is padded until it must, and
    /// dropped after as long again if it does not. 10 seconds by default; at least one second.
    /// </summary>
    public TimeSpan LiveSendTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Origins besides the server's own whose pages may open the WebSocket endpoint, such as
    /// <c>https://dashboard.example.com</c>; <c>*</c> allows every origin. A browser sends its page's origin with every
    /// WebSocket request and, unlike fetch, lets any page open one; a request from an origin not listed gets 403.
    /// Requests without an <c>Origin</c> header (non-browser clients) are always allowed.
    /// </summary>
    public IList<string> LiveAllowedOrigins { get; } = [];

    /// <summary>The quantiles the JSON endpoints estimate: <see cref="Quantiles"/> or the default set.</summary>
    internal IReadOnlyList<double> QuantilesOrDefault => Quantiles is { } quantiles ? [.. quantiles] : MetricHistoryOptions.DefaultQuantiles;

    /// <summary>The scrape cache settings these options describe.</summary>
    internal ScrapeCacheOptions ToScrapeCacheOptions() => new() { CacheDuration = ScrapeCacheDuration, MinimumInterval = ScrapeMinimumInterval };
}
