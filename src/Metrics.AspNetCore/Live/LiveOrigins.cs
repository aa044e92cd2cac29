using Microsoft.AspNetCore.Http;

namespace Metrics.AspNetCore;

/// <summary>
/// Which pages may open the WebSocket endpoint. Browsers let any page open a WebSocket to any server (no CORS), but
/// they always say which page did in <c>Origin</c>: the server's own origin is allowed, and so are those configured.
/// A request without <c>Origin</c> comes from a program, not a page, and is allowed.
/// </summary>
internal sealed class LiveOrigins
{
    private const string AnyOrigin = "*";

    private readonly bool _allowsAny;
    private readonly HashSet<string> _allowed = new(StringComparer.OrdinalIgnoreCase);

    public LiveOrigins(IEnumerable<string> allowed)
    {
        foreach (var origin in allowed)
        {
            if (origin == AnyOrigin)
            {
                _allowsAny = true;
            }
            else if (TryNormalize(origin, out var normalized))
            {
                _allowed.Add(normalized);
            }
        }
    }

    /// <summary>Whether <paramref name="origin"/> can be listed: <c>*</c>, or an http(s) origin without path, query or fragment.</summary>
    public static bool IsValidAllowedOrigin(string? origin) => origin == AnyOrigin || TryNormalize(origin, out _);

    /// <summary>Whether the page that sent <paramref name="request"/>, if any, may use the endpoint.</summary>
    public bool Allows(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0 || _allowsAny)
        {
            return true;
        }

        // "null" (sandboxed frames, local files) and malformed origins fail to normalize, and are refused.
        if (!TryNormalize(origin, out var normalized))
        {
            return false;
        }

        return _allowed.Contains(normalized)
            || (TryNormalize(request.Scheme + "://" + request.Host.Value, out var own) && string.Equals(normalized, own, StringComparison.OrdinalIgnoreCase));
    }

    // Scheme, host and port, with the port made explicit, so http://a and http://a:80 compare equal.
    private static bool TryNormalize(string? text, out string normalized)
    {
        normalized = "";
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            return false;
        }

        normalized = $"{uri.Scheme}://{uri.IdnHost}:{uri.Port}";
        return true;
    }
}
