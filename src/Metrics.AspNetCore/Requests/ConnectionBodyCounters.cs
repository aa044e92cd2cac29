using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Metrics.AspNetCore;

/// <summary>
/// Finds the <see cref="BodyByteCounters"/> of a request: the ones kept in its connection's items, reused by each
/// request of that connection in turn, or new ones where the server has no connection (a test server) or the
/// connection's are busy with a concurrent HTTP/2 stream. Counters are never shared between connections.
/// </summary>
internal static class ConnectionBodyCounters
{
    private static readonly object ItemKey = typeof(BodyByteCounters);

    /// <summary>Claimed counters for <paramref name="context"/>; release them with <see cref="BodyByteCounters.Release"/> after detaching.</summary>
    // Hot path: a keep-alive request finds its connection's counters and allocates nothing.
    public static BodyByteCounters Claim(HttpContext context)
    {
        var items = context.Features.Get<IConnectionItemsFeature>()?.Items;
        if (items is null)
        {
            return NewClaimed();
        }

        // The items are a plain dictionary; HTTP/2 streams of one connection run concurrently, so access is serialized.
        lock (items)
        {
            if (items.TryGetValue(ItemKey, out var kept) && kept is BodyByteCounters counters)
            {
                return counters.TryClaim() ? counters : NewClaimed();
            }

            var created = NewClaimed();
            items[ItemKey] = created;
            return created;
        }
    }

    private static BodyByteCounters NewClaimed()
    {
        var counters = new BodyByteCounters();
        counters.TryClaim();
        return counters;
    }
}
