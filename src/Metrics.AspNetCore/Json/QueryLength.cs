using Microsoft.AspNetCore.Http;

namespace Metrics.AspNetCore;

/// <summary>
/// The bound on the query strings the JSON endpoints parse: parsing costs time and memory in proportion to the text,
/// so a client may not send more than the endpoint will ever need.
/// </summary>
internal static class QueryLength
{
    /// <summary>Null when the query string fits in <paramref name="limit"/> characters; otherwise the 414 answer being written.</summary>
    public static Task? RejectIfLonger(HttpContext context, int limit)
    {
        var length = context.Request.QueryString.Value?.Length ?? 0;
        return length <= limit
            ? null
            : EndpointErrors.WriteAsync(
                context,
                StatusCodes.Status414UriTooLong,
                "query_too_long",
                $"The query string is {length} characters long; this endpoint reads at most {limit}.");
    }
}
