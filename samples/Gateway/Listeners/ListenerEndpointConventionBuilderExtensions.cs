namespace Gateway.Listeners;

/// <summary>Confines endpoints to one named Kestrel listener.</summary>
internal static class ListenerEndpointConventionBuilderExtensions
{
    /// <summary>
    /// Serves the endpoints of <paramref name="builder"/> only to connections accepted by the listener named
    /// <paramref name="name"/>; requests that arrive on any other listener find no endpoint and get 404.
    /// </summary>
    public static TBuilder RequireListener<TBuilder>(this TBuilder builder, string name)
        where TBuilder : IEndpointConventionBuilder
    {
        var metadata = new ListenerMetadata(name);
        builder.Add(endpoint => endpoint.Metadata.Add(metadata));
        return builder;
    }
}
