using System.Globalization;
using System.Text;
using Gateway.Configuration;
using Gateway.Listeners;
using Gateway.Routing;

namespace Gateway.Hosting;

/// <summary>
/// What <c>dotnet run</c> prints once the gateway listens: its two listeners and what each serves, the providers,
/// the demo keys and commands to try. It is written to the console, not through logging, and shows only keys of
/// accounts marked <c>"Demo": true</c>, the published demo keys; any other key is never printed.
/// </summary>
internal static class StartupBanner
{
    /// <summary>The banner for a gateway bound to <paramref name="listeners"/>.</summary>
    public static string Render(GatewayListeners listeners, GatewayOptions options, ProviderDirectory providers, ModelCatalog models)
    {
        var url = GatewayListeners.ConnectableUrl(listeners.PublicUrls[0]);
        var management = GatewayListeners.ConnectableUrl(listeners.ManagementUrls[0]);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"LLM gateway listening on {string.Join(", ", listeners.PublicUrls)}");
        text.AppendLine("  for tenants, with a key: /v1/chat/completions, /v1/responses, /v1/messages, /v1/messages/count_tokens, /v1/models, /v1/models/{id}, /v1/tokens, /v1/accounts/me; and /health");
        text.AppendLine(CultureInfo.InvariantCulture, $"Management listener on {string.Join(", ", listeners.ManagementUrls)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  for operators, without a key: {(options.MetricsEnabled ? "/metrics, /v1/usage, /dashboard, " : "")}/v1/stats, /v1/accounts, /simulator/providers; and /health");
        text.AppendLine(listeners.ManagementIsRemote
            ? "  WARNING: it is reachable beyond loopback (Gateway:AllowRemoteManagement); only operators' networks may reach it."
            : "  loopback only; set Gateway:ManagementUrls to move it.");
        text.AppendLine("Providers:");
        foreach (var provider in providers.All)
        {
            var where = provider.Options.IsSimulated ? $"simulated at {provider.BaseUri}" : $"{provider.BaseUri}";
            text.AppendLine(CultureInfo.InvariantCulture, $"  {provider.Name,-22} {provider.Style,-10} {where}");
        }

        text.AppendLine("Models:");
        foreach (var route in models.All)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {route.Name,-28} {string.Join(" -> ", route.Providers.Select(provider => provider.Name))}");
        }

        var demoKey = AppendKeys(text, options);
        AppendTryLines(text, url, management, demoKey ?? "<your key>", models, options.MetricsEnabled);
        if (options.MetricsEnabled)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Live dashboard: {management}/dashboard");
        }

        text.AppendLine(options.MetricsEnabled
            ? "Metrics are on; start with --Gateway:MetricsEnabled=false to measure the gateway without them."
            : "Metrics are OFF (Gateway:MetricsEnabled=false): nothing is recorded and /metrics is not served.");
        return text.ToString();
    }

    private static string? AppendKeys(StringBuilder text, GatewayOptions options)
    {
        text.AppendLine("Demo API keys (send as 'Authorization: Bearer <key>' or 'x-api-key: <key>'):");
        string? first = null;
        foreach (var (name, account) in options.Accounts)
        {
            if (account.Demo)
            {
                first ??= account.ApiKey;
                text.AppendLine(CultureInfo.InvariantCulture, $"  {name,-22} {account.ApiKey}");
            }
            else
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  {name,-22} (configured key, not shown)");
            }
        }

        return first;
    }

    private static void AppendTryLines(StringBuilder text, string url, string management, string key, ModelCatalog models, bool metricsEnabled)
    {
        text.AppendLine("Try:");
        if (models.All.FirstOrDefault(route => route.Style == ProviderStyle.OpenAI) is { } openAI)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  curl -s {url}/v1/chat/completions -H 'Authorization: Bearer {key}' -H 'Content-Type: application/json' \\");
            text.AppendLine(CultureInfo.InvariantCulture, $"       -d '{{\"model\":\"{openAI.Name}\",\"messages\":[{{\"role\":\"user\",\"content\":\"Hello\"}}]}}'");
            text.AppendLine(CultureInfo.InvariantCulture, $"  curl -sN {url}/v1/chat/completions -H 'Authorization: Bearer {key}' -H 'Content-Type: application/json' \\");
            text.AppendLine(CultureInfo.InvariantCulture, $"       -d '{{\"model\":\"{openAI.Name}\",\"stream\":true,\"messages\":[{{\"role\":\"user\",\"content\":\"Hello\"}}]}}'");
            if (openAI.Providers[0].Options.IsSimulated)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  curl -s {management}/simulator/providers/{openAI.Providers[0].Name} -H 'Content-Type: application/json' -d '{{\"mode\":\"failing\"}}'");
            }
        }

        if (models.All.FirstOrDefault(route => route.Style == ProviderStyle.Anthropic) is { } anthropic)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  curl -s {url}/v1/messages -H 'x-api-key: {key}' -H 'anthropic-version: 2023-06-01' -H 'Content-Type: application/json' \\");
            text.AppendLine(CultureInfo.InvariantCulture, $"       -d '{{\"model\":\"{anthropic.Name}\",\"max_tokens\":64,\"messages\":[{{\"role\":\"user\",\"content\":\"Hello\"}}]}}'");
            text.AppendLine("  # the same model through the OpenAI API: the gateway translates to Anthropic Messages and back");
            text.AppendLine(CultureInfo.InvariantCulture, $"  curl -s {url}/v1/chat/completions -H 'Authorization: Bearer {key}' -H 'Content-Type: application/json' \\");
            text.AppendLine(CultureInfo.InvariantCulture, $"       -d '{{\"model\":\"{anthropic.Name}\",\"messages\":[{{\"role\":\"user\",\"content\":\"Hello\"}}]}}'");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"  curl -s {url}/v1/accounts/me -H 'Authorization: Bearer {key}'");
        if (metricsEnabled)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  curl -s {management}/metrics");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"  curl -s {management}/v1/stats");
    }
}
