namespace Gateway.Listeners;

/// <summary>
/// Endpoint metadata: the listener an endpoint is served on. <see cref="ListenerMatcherPolicy"/> reads it, so on any
/// other listener the endpoint does not exist (404, whatever the method), unlike <c>RequireHost</c>, which trusts the
/// <c>Host</c> header the client chose.
/// </summary>
internal sealed class ListenerMetadata(string name)
{
    /// <summary>The name given to the listener with <see cref="ListenOptionsListenerExtensions.UseListenerName"/>.</summary>
    public string Name { get; } = name;
}
