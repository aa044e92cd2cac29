using System.Net;

namespace Metrics;

/// <summary>Where a <see cref="MetricServer"/> listens and how it shares collections between scrapes.</summary>
public sealed class MetricServerOptions
{
    /// <summary>The default <see cref="Url"/>: <c>http://localhost:9464/metrics</c>, loopback only.</summary>
    public const string DefaultUrl = "http://localhost:9464/metrics";

    /// <summary>
    /// The address and path to serve, for example <c>http://127.0.0.1:9464/metrics</c>. The scheme is <c>http</c>; the
    /// port is not 0 (80 when left out); the host is a name, an IP address, or <c>+</c> (or <c>*</c>) for every interface.
    /// The server owns the whole port: any other path gets 404. <see cref="HttpListener"/> routes by the <c>Host</c>
    /// header, so a scraper must name the host given here; <c>+</c> accepts any. <see cref="DefaultUrl"/> by default.
    /// </summary>
    public string Url { get; set; } = DefaultUrl;

    /// <summary>How scrapes that arrive together share one collection; the defaults of <see cref="ScrapeCacheOptions"/>.</summary>
    public ScrapeCacheOptions Scrape { get; set; } = new();

    /// <summary>
    /// Called with each failure of the server's own (a collection that throws, a response that cannot be sent for a
    /// reason other than the scraper leaving), after the scraper got its 500 or its connection was cut. Null by
    /// default. It runs on the request's thread; an exception it throws is ignored.
    /// </summary>
    public Action<Exception>? OnError { get; set; }
}
