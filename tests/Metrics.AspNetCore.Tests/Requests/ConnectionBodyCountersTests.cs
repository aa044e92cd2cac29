using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Metrics.AspNetCore.Tests.Requests;

public sealed class ConnectionBodyCountersTests
{
    [Test]
    public void Requests_of_one_connection_reuse_its_counters_one_after_another()
    {
        var connection = new ConnectionItems();

        var first = ConnectionBodyCounters.Claim(Request(connection));
        first.Release();
        var second = ConnectionBodyCounters.Claim(Request(connection));

        second.ShouldBeSameAs(first);
    }

    [Test]
    public void Concurrent_streams_of_one_connection_get_counters_of_their_own()
    {
        var connection = new ConnectionItems();

        var first = ConnectionBodyCounters.Claim(Request(connection));
        var concurrent = ConnectionBodyCounters.Claim(Request(connection));

        concurrent.ShouldNotBeSameAs(first);
        first.Release();
        ConnectionBodyCounters.Claim(Request(connection)).ShouldBeSameAs(first);
    }

    [Test]
    public void Different_connections_never_share_counters()
    {
        var first = ConnectionBodyCounters.Claim(Request(new ConnectionItems()));
        first.Release();

        ConnectionBodyCounters.Claim(Request(new ConnectionItems())).ShouldNotBeSameAs(first);
    }

    [Test]
    public void Requests_without_a_connection_get_new_counters_each_time()
    {
        var first = ConnectionBodyCounters.Claim(new DefaultHttpContext());
        first.Release();

        ConnectionBodyCounters.Claim(new DefaultHttpContext()).ShouldNotBeSameAs(first);
    }

    private static DefaultHttpContext Request(ConnectionItems connection)
    {
        var context = new DefaultHttpContext();
        context.Features.Set<IConnectionItemsFeature>(connection);
        return context;
    }

    private sealed class ConnectionItems : IConnectionItemsFeature
    {
        public IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();
    }
}
