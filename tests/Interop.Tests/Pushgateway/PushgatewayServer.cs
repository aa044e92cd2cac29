using Metrics.Testing;

namespace Interop.Tests.Pushgateway;

/// <summary>
/// A real Pushgateway (Debian's <c>/usr/bin/prometheus-pushgateway</c>) on a free 127.0.0.1 port, holding its groups in
/// memory only, run as a <see cref="ToolProcess"/>.
/// </summary>
internal sealed class PushgatewayServer : IAsyncDisposable
{
    private readonly ToolProcess _process;

    private PushgatewayServer(ToolProcess process, Uri baseUri)
    {
        _process = process;
        BaseUri = baseUri;
    }

    /// <summary>The address pushes go to and Prometheus scrapes, for example <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri BaseUri { get; }

    /// <summary>What the Pushgateway wrote so far, for failure messages.</summary>
    public string Log => _process.Log;

    public static async Task<PushgatewayServer> StartAsync(TimeSpan readyTimeout)
    {
        var path = RequiredTool.Find(
            "prometheus-pushgateway", "install Debian's 'prometheus-pushgateway' package (apt-get install -y prometheus-pushgateway)", fixedPath: "/usr/bin/prometheus-pushgateway");
        var directory = Directory.CreateTempSubdirectory("interop-pushgateway-");
        var baseUri = new Uri($"http://127.0.0.1:{ToolProcess.FreeLoopbackPort()}/");
        // Debian's build persists to a file shared by every Pushgateway on the machine; an empty one keeps the groups
        // in memory, so a run never sees another's groups, nor leaves its own behind.
        var process = await ToolProcess.StartAsync(
            "The Pushgateway", path, directory, [$"--web.listen-address={baseUri.Authority}", "--persistence.file=", "--log.level=warn"],
            new Uri(baseUri, "-/ready"), readyTimeout);
        return new PushgatewayServer(process, baseUri);
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
