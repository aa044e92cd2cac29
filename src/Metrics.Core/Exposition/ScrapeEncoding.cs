namespace Metrics;

/// <summary>How the bytes of a rendered scrape are encoded for the wire.</summary>
public enum ScrapeEncoding
{
    /// <summary>The exposition as it is, uncompressed.</summary>
    Identity,

    /// <summary>The exposition compressed with gzip, for a scraper whose <c>Accept-Encoding</c> allows it.</summary>
    Gzip,
}
