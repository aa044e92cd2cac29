namespace Gateway.Listeners;

/// <summary>
/// The name of the Kestrel listener a connection arrived on, set on the connection's features by
/// <see cref="ListenOptionsListenerExtensions.UseListenerName"/>. Kestrel's request features fall back to the
/// connection's, so every request on the connection sees it through <c>HttpContext.Features</c>.
/// </summary>
internal sealed class ListenerFeature(string name)
{
    /// <summary>The listener's name, such as <c>public</c> or <c>management</c>.</summary>
    public string Name { get; } = name;
}
