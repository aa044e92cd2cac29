using Metrics.Exposition;

namespace Metrics;

/// <summary>
/// One scrape's view of a rendered exposition, which it may share with other scrapes of the same collection. The
/// bytes stay valid until it is disposed; dispose it once they are sent, so their pooled buffer can be reused.
/// </summary>
public sealed class ScrapeResult : IDisposable
{
    private RenderedScrape? _rendered;

    internal ScrapeResult(RenderedScrape rendered, ExpositionFormat format, ScrapeEncoding encoding)
    {
        _rendered = rendered;
        Format = format;
        Encoding = encoding;
    }

    /// <summary>The exposition format of <see cref="Content"/>.</summary>
    public ExpositionFormat Format { get; }

    /// <summary>The encoding of <see cref="Content"/>.</summary>
    public ScrapeEncoding Encoding { get; }

    /// <summary>The exact <c>Content-Type</c> of <see cref="Format"/>.</summary>
    public string ContentType => MetricsExposition.ContentTypeOf(Format);

    /// <summary>The encoded exposition.</summary>
    /// <exception cref="ObjectDisposedException">The result was disposed.</exception>
    public ReadOnlyMemory<byte> Content =>
        (_rendered ?? throw new ObjectDisposedException(nameof(ScrapeResult), "The scrape result was disposed; its bytes may already belong to another scrape.")).Content;

    /// <summary>Releases this scrape's hold on the bytes; the last holder returns them to the pool. Safe to call twice.</summary>
    public void Dispose() => Interlocked.Exchange(ref _rendered, null)?.Release();
}
