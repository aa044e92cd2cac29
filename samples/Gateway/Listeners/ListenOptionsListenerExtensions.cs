using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Gateway.Listeners;

/// <summary>Names a Kestrel listener, so endpoints can be confined to it with <c>RequireListener</c>.</summary>
internal static class ListenOptionsListenerExtensions
{
    /// <summary>Marks every connection accepted by <paramref name="listen"/> as arriving on listener <paramref name="name"/>.</summary>
    public static ListenOptions UseListenerName(this ListenOptions listen, string name)
    {
        var feature = new ListenerFeature(name);
        listen.Use(next => connection =>
        {
            connection.Features.Set(feature);
            return next(connection);
        });
        return listen;
    }
}
