using System.Globalization;

namespace Metrics;

/// <summary>
/// What a scrape endpoint answers to one HTTP request, decided from its method, <c>Accept</c> and
/// <c>Accept-Encoding</c> alone, so that every server that exposes a registry (the ASP.NET Core endpoint, the standalone
/// <see cref="MetricServer"/>, or one of the user's own) negotiates, compresses and refuses methods the same way.
/// </summary>
/// <remarks>
/// The rules: <c>GET</c> and <c>HEAD</c> are answered, any other method gets 405 with <c>Allow: GET, HEAD</c>; the
/// format is the one <see cref="ExpositionNegotiation.Choose(string?)"/> picks; the body is gzipped when
/// <c>Accept-Encoding</c> names <c>gzip</c>, or <c>*</c> without naming it, with a non-zero quality; every answer
/// carries <c>Cache-Control: no-store</c> and <c>Vary: Accept, Accept-Encoding</c>; a <c>HEAD</c> gets the headers of
/// the <c>GET</c> without running a collection.
/// </remarks>
public readonly struct ScrapeRequest
{
    /// <summary>The value of the <c>Allow</c> header of a 405.</summary>
    public const string AllowedMethods = "GET, HEAD";

    /// <summary>The value of the <c>Cache-Control</c> header of every answer: a scrape is never served from a cache.</summary>
    public const string CacheControl = "no-store";

    /// <summary>The value of the <c>Vary</c> header of every answer: the headers the body depends on.</summary>
    public const string Vary = "Accept, Accept-Encoding";

    /// <summary>The <c>Content-Encoding</c> of a gzipped answer.</summary>
    public const string GzipContentEncoding = "gzip";

    private ScrapeRequest(bool isAllowed, bool isHead, ExpositionFormat format, ScrapeEncoding encoding)
    {
        IsAllowed = isAllowed;
        IsHead = isHead;
        Format = format;
        Encoding = encoding;
    }

    /// <summary>Whether the method is <c>GET</c> or <c>HEAD</c>; otherwise the answer is 405 with <see cref="AllowedMethods"/>.</summary>
    public bool IsAllowed { get; }

    /// <summary>Whether the answer is the headers alone: the method is <c>HEAD</c>.</summary>
    public bool IsHead { get; }

    /// <summary>The exposition format the scraper asked for.</summary>
    public ExpositionFormat Format { get; }

    /// <summary>The encoding of the body.</summary>
    public ScrapeEncoding Encoding { get; }

    /// <summary>The exact <c>Content-Type</c> of the answer.</summary>
    public string ContentType => MetricsExposition.ContentTypeOf(Format);

    /// <summary>The <c>Content-Encoding</c> of the answer: <see cref="GzipContentEncoding"/>, or null for the identity encoding.</summary>
    public string? ContentEncoding => Encoding == ScrapeEncoding.Gzip ? GzipContentEncoding : null;

    /// <summary>Reads a request's method and negotiation headers; a missing header is null or empty.</summary>
    /// <param name="method">The HTTP method, compared without regard to case.</param>
    /// <param name="accept">The <c>Accept</c> header, several values joined with commas.</param>
    /// <param name="acceptEncoding">The <c>Accept-Encoding</c> header, several values joined with commas.</param>
    /// <returns>What to answer.</returns>
    public static ScrapeRequest Read(string method, string? accept, string? acceptEncoding)
    {
        ArgumentNullException.ThrowIfNull(method);
        var isHead = method.Equals("HEAD", StringComparison.OrdinalIgnoreCase);
        var isAllowed = isHead || method.Equals("GET", StringComparison.OrdinalIgnoreCase);
        var encoding = AcceptsGzip(acceptEncoding) ? ScrapeEncoding.Gzip : ScrapeEncoding.Identity;
        return new ScrapeRequest(isAllowed, isHead, ExpositionNegotiation.Choose(accept), encoding);
    }

    /// <summary>
    /// Whether <paramref name="acceptEncoding"/> allows gzip: named with a non-zero quality, or not named and allowed
    /// through <c>*</c>. An entry whose quality does not parse is ignored, as a malformed entry is.
    /// </summary>
    private static bool AcceptsGzip(string? acceptEncoding)
    {
        if (string.IsNullOrWhiteSpace(acceptEncoding))
        {
            return false;
        }

        var wildcard = false;
        foreach (var entry in acceptEncoding.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parameters = entry.Split(';', StringSplitOptions.TrimEntries);
            if (!TryReadQuality(parameters, out var quality))
            {
                continue;
            }

            var coding = parameters[0];
            if (coding.Equals("gzip", StringComparison.OrdinalIgnoreCase))
            {
                return quality > 0;
            }

            if (coding.Equals("*", StringComparison.Ordinal))
            {
                wildcard = quality > 0;
            }
        }

        return wildcard;
    }

    private static bool TryReadQuality(string[] parameters, out double quality)
    {
        quality = 1;
        for (var i = 1; i < parameters.Length; i++)
        {
            var separator = parameters[i].IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0 || !parameters[i].AsSpan(0, separator).Trim().Equals("q", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            return double.TryParse(parameters[i].AsSpan(separator + 1).Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out quality)
                && quality <= 1;
        }

        return true;
    }
}
