using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Dashboard;

/// <summary>
/// Test middleware, first in the pipeline, that remembers the open requests to the live stream so that a test can
/// kill them as a network failure or a restarted server would.
/// </summary>
internal sealed class StreamConnections : IStartupFilter
{
    private readonly Lock _gate = new();
    private readonly HashSet<HttpContext> _open = [];

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, following) =>
        {
            if (!context.Request.Path.StartsWithSegments("/v1/usage/stream", StringComparison.Ordinal))
            {
                await following(context);
                return;
            }

            lock (_gate)
            {
                _open.Add(context);
            }

            try
            {
                await following(context);
            }
            finally
            {
                lock (_gate)
                {
                    _open.Remove(context);
                }
            }
        });
        next(app);
    };

    /// <summary>Aborts every open stream connection; returns how many there were.</summary>
    public int AbortAll()
    {
        HttpContext[] open;
        lock (_gate)
        {
            open = [.. _open];
        }

        foreach (var context in open)
        {
            context.Abort();
        }

        return open.Length;
    }
}
