using Microsoft.AspNetCore.Routing.Matching;

namespace Gateway.Listeners;

/// <summary>
/// Routing policy that splits the endpoints of each path by <see cref="ListenerMetadata"/>, keyed by the
/// <see cref="ListenerFeature"/> of the request's connection. It runs before the HTTP method policy, so a path that
/// belongs to another listener is 404 for every method rather than 405 with an <c>Allow</c> header that would
/// reveal it. Endpoints without the metadata are served on every listener.
/// </summary>
internal sealed class ListenerMatcherPolicy : MatcherPolicy, INodeBuilderPolicy
{
    // The edge of endpoints without listener metadata, taken by connections from a listener no endpoint names.
    private static readonly object AnyListener = new();

    /// <inheritdoc />
    // Below the HTTP method policy's -1000, so methods are sorted out within each listener's endpoints.
    public override int Order => -2000;

    /// <inheritdoc />
    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints)
    {
        foreach (var endpoint in endpoints)
        {
            if (endpoint.Metadata.GetMetadata<ListenerMetadata>() is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc />
    public IReadOnlyList<PolicyNodeEdge> GetEdges(IReadOnlyList<Endpoint> endpoints)
    {
        var names = new List<string>();
        foreach (var endpoint in endpoints)
        {
            if (endpoint.Metadata.GetMetadata<ListenerMetadata>() is { } metadata && !names.Contains(metadata.Name))
            {
                names.Add(metadata.Name);
            }
        }

        var edges = new List<PolicyNodeEdge>(names.Count + 1);
        foreach (var name in names)
        {
            edges.Add(new PolicyNodeEdge(name, [.. endpoints.Where(endpoint => endpoint.Metadata.GetMetadata<ListenerMetadata>() is not { } metadata || metadata.Name == name)]));
        }

        edges.Add(new PolicyNodeEdge(AnyListener, [.. endpoints.Where(endpoint => endpoint.Metadata.GetMetadata<ListenerMetadata>() is null)]));
        return edges;
    }

    /// <inheritdoc />
    public PolicyJumpTable BuildJumpTable(int exitDestination, IReadOnlyList<PolicyJumpTableEdge> edges)
    {
        var named = new List<(string Name, int Destination)>();
        var other = exitDestination;
        foreach (var edge in edges)
        {
            if (edge.State is string name)
            {
                named.Add((name, edge.Destination));
            }
            else
            {
                other = edge.Destination;
            }
        }

        return new ListenerJumpTable([.. named], other);
    }

    private sealed class ListenerJumpTable((string Name, int Destination)[] named, int other) : PolicyJumpTable
    {
        // Runs on every request's routing: a feature read and a comparison per listener; must never allocate.
        public override int GetDestination(HttpContext httpContext)
        {
            if (httpContext.Features.Get<ListenerFeature>() is { } listener)
            {
                foreach (var (name, destination) in named)
                {
                    if (string.Equals(name, listener.Name, StringComparison.Ordinal))
                    {
                        return destination;
                    }
                }
            }

            return other;
        }
    }
}
