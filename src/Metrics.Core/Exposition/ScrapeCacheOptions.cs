namespace Metrics;

/// <summary>How a <see cref="ScrapeCache"/> trades freshness and latency for work under many scrapers.</summary>
public sealed class ScrapeCacheOptions
{
    /// <summary>The default <see cref="MinimumInterval"/>: 100 milliseconds.</summary>
    public static TimeSpan DefaultMinimumInterval { get; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How long the bytes of a finished collection answer later scrapes, which then show values up to that old. Zero,
    /// the default, keeps nothing: a scrape always shows everything recorded before it arrived.
    /// </summary>
    public TimeSpan CacheDuration { get; set; }

    /// <summary>
    /// The least time between the starts of two collections of one format and encoding. A scrape that arrives sooner
    /// waits for the next collection, which starts when the interval is up and which every scrape arriving meanwhile
    /// shares; so scrapers that loop as fast as they can run one collection per interval, and spend that time waiting,
    /// not working, while a scrape still never shows values older than its own arrival. <see cref="DefaultMinimumInterval"/>
    /// by default; zero starts a collection whenever none is running.
    /// </summary>
    public TimeSpan MinimumInterval { get; set; } = DefaultMinimumInterval;
}
