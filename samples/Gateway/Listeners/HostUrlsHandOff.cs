using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Gateway.Listeners;

/// <summary>
/// Empties the host's list of URLs to bind just before the server starts. <see cref="GatewayListeners"/> has read
/// <c>--urls</c> into its own listeners and binds them in code; left in place, the host's copy would make Kestrel
/// warn on every start that it overrides addresses it is in fact binding.
/// </summary>
internal sealed class HostUrlsHandOff : IStartupFilter
{
    /// <inheritdoc />
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.ServerFeatures.Get<IServerAddressesFeature>()?.Addresses.Clear();
        next(app);
    };
}
