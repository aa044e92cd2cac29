using System.Globalization;
using System.Net;
using Gateway.Configuration;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Gateway.Listeners;

/// <summary>
/// The gateway's two Kestrel listeners. The public one (<c>--urls</c>, the <c>Urls</c> setting) serves tenants: the
/// LLM APIs, token management, <c>/v1/accounts/me</c> and <c>/health</c>. The management one
/// (<see cref="GatewayOptions.ManagementUrls"/>, loopback by default) serves operators: <c>/metrics</c>,
/// <c>/v1/usage</c> and its live views, <c>/dashboard</c>, <c>/v1/stats</c>, <c>/v1/accounts</c>, the simulator and
/// <c>/health</c>. Both take the syntax of <c>--urls</c>: one or more URLs separated by <c>;</c>.
/// </summary>
internal sealed class GatewayListeners
{
    /// <summary>The name of the tenants' listener.</summary>
    public const string Public = "public";

    /// <summary>The name of the operators' listener.</summary>
    public const string Management = "management";

    /// <summary>Kestrel's own default, used when neither <c>urls</c> nor <c>http_ports</c> is set.</summary>
    public const string DefaultPublicUrls = "http://localhost:5000";

    private const string PublicSetting = "Urls";
    private const string ManagementSetting = "Gateway:ManagementUrls";

    private readonly string _publicUrls;
    private readonly string _managementUrls;
    private readonly bool _allowRemoteManagement;
    private readonly List<(string Listener, BindingAddress Address, ListenOptions Options)> _bound = [];

    private GatewayListeners(string publicUrls, string managementUrls, bool allowRemoteManagement)
    {
        _publicUrls = publicUrls;
        _managementUrls = managementUrls;
        _allowRemoteManagement = allowRemoteManagement;
    }

    /// <summary>The public URLs, with the ports the OS chose once the listeners are bound.</summary>
    public IReadOnlyList<string> PublicUrls => UrlsOf(Public, _publicUrls);

    /// <summary>The management URLs, with the ports the OS chose once the listeners are bound.</summary>
    public IReadOnlyList<string> ManagementUrls => UrlsOf(Management, _managementUrls);

    /// <summary>Whether the management listener may bind beyond loopback.</summary>
    public bool ManagementIsRemote => _allowRemoteManagement && Split(_managementUrls).Any(url => !IsLoopback(url));

    /// <summary>
    /// <paramref name="url"/> with a host a client can connect to: a wildcard host (<c>*</c>, <c>+</c>,
    /// <c>0.0.0.0</c>, <c>[::]</c>) becomes <c>127.0.0.1</c>, and no trailing slash.
    /// </summary>
    public static string ConnectableUrl(string url)
    {
        var address = BindingAddress.Parse(url);
        if (address.IsUnixPipe)
        {
            return url;
        }

        var host = address.Host is "*" or "+" or "0.0.0.0" or "[::]" ? "127.0.0.1" : address.Host;
        return string.Create(CultureInfo.InvariantCulture, $"{address.Scheme}://{host}:{address.Port}");
    }

    /// <summary>Reads the public URLs the way ASP.NET Core does (<c>urls</c>, else <c>http_ports</c>/<c>https_ports</c>) and the management URLs.</summary>
    public static GatewayListeners FromConfiguration(IConfiguration configuration, GatewayOptions options) =>
        new(PublicUrlsOf(configuration), options.ManagementUrls, options.AllowRemoteManagement);

    /// <summary>Every problem with the two URL lists, in words that name the setting; empty when both are usable.</summary>
    public List<string> Problems()
    {
        var problems = new List<string>();
        var publicPorts = PortsOf(_publicUrls, PublicSetting, problems);
        var managementPorts = PortsOf(_managementUrls, ManagementSetting, problems);
        foreach (var (url, port) in managementPorts)
        {
            if (port != 0 && publicPorts.Any(other => other.Port == port))
            {
                problems.Add($"{ManagementSetting} '{url}' uses port {port}, which {PublicSetting} also uses; the two listeners need ports of their own.");
            }

            if (!_allowRemoteManagement && !IsLoopback(url))
            {
                problems.Add(
                    $"{ManagementSetting} '{url}' listens beyond loopback. The management listener serves every tenant's usage and the simulator "
                    + "without a key: keep it on 127.0.0.1, [::1] or localhost, or set Gateway:AllowRemoteManagement=true behind a network boundary of your own.");
            }
        }

        return problems;
    }

    /// <summary>
    /// Binds both listeners through Kestrel, each connection named after its listener, and hands the host's own URL
    /// list off (<see cref="HostUrlsHandOff"/>), since these listeners bind it.
    /// </summary>
    public void Bind(IWebHostBuilder webHost)
    {
        webHost.ConfigureServices(services => services.AddSingleton<IStartupFilter, HostUrlsHandOff>());
        webHost.ConfigureKestrel(kestrel =>
        {
            _bound.Clear();
            Listen(kestrel, Public, _publicUrls);
            Listen(kestrel, Management, _managementUrls);
        });
    }

    private void Listen(KestrelServerOptions kestrel, string listener, string urls)
    {
        foreach (var url in Split(urls))
        {
            var address = BindingAddress.Parse(url);
            void Configure(ListenOptions listen)
            {
                if (address.Scheme == Uri.UriSchemeHttps)
                {
                    listen.UseHttps();
                }

                listen.UseListenerName(listener);
                _bound.Add((listener, address, listen));
            }

            if (address.IsUnixPipe)
            {
                kestrel.ListenUnixSocket(address.UnixPipePath, Configure);
            }
            else if (string.Equals(address.Host, "localhost", StringComparison.OrdinalIgnoreCase))
            {
                kestrel.ListenLocalhost(address.Port, Configure);
            }
            else if (IPAddress.TryParse(address.Host.AsSpan().Trim("[]"), out var ip))
            {
                kestrel.Listen(ip, address.Port, Configure);
            }
            else
            {
                // "*", "+" or a host name: Kestrel binds every interface for these too.
                kestrel.ListenAnyIP(address.Port, Configure);
            }
        }
    }

    private string[] UrlsOf(string listener, string configured)
    {
        var bound = _bound.Where(entry => entry.Listener == listener).ToArray();
        if (bound.Length == 0)
        {
            return Split(configured);
        }

        return [.. bound.Select(entry => entry.Address.IsUnixPipe
            ? entry.Address.ToString()
            : $"{entry.Address.Scheme}://{entry.Address.Host}:{(entry.Options.IPEndPoint?.Port ?? entry.Address.Port).ToString(CultureInfo.InvariantCulture)}")];
    }

    private static List<(string Url, int Port)> PortsOf(string urls, string setting, List<string> problems)
    {
        var ports = new List<(string, int)>();
        var split = Split(urls);
        if (split.Length == 0)
        {
            problems.Add($"{setting} is empty; give at least one URL such as http://127.0.0.1:5080.");
        }

        foreach (var url in split)
        {
            BindingAddress address;
            try
            {
                address = BindingAddress.Parse(url);
            }
            catch (FormatException)
            {
                problems.Add($"{setting} '{url}' is not a URL such as http://127.0.0.1:5080.");
                continue;
            }

            if (address.Scheme is not ("http" or "https"))
            {
                problems.Add($"{setting} '{url}' must start with http:// or https://.");
                continue;
            }

            ports.Add((url, address.IsUnixPipe ? 0 : address.Port));
        }

        return ports;
    }

    private static bool IsLoopback(string url)
    {
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url);
        }
        catch (FormatException)
        {
            return false;
        }

        return address.IsUnixPipe
            || string.Equals(address.Host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(address.Host.AsSpan().Trim("[]"), out var ip) && IPAddress.IsLoopback(ip));
    }

    private static string[] Split(string urls) => urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string PublicUrlsOf(IConfiguration configuration)
    {
        if (configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } urls)
        {
            return urls;
        }

        var ports = Split(configuration[WebHostDefaults.HttpPortsKey] ?? "").Select(port => $"http://*:{port}")
            .Concat(Split(configuration[WebHostDefaults.HttpsPortsKey] ?? "").Select(port => $"https://*:{port}"))
            .ToArray();
        return ports.Length > 0 ? string.Join(';', ports) : DefaultPublicUrls;
    }
}
