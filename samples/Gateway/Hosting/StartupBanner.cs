using System.Globalization;
using System.Text;
using Gateway.Configuration;
using Gateway.Routing;

namespace Gateway.Hosting;

/// <summary>
/// What <c>dotnet run</c> prints once the gateway listens: its URLs, the providers, the demo keys and commands to try.
/// It is written to the console, not through logging, and shows only keys of accounts marked <c>"Demo": true</c>,
/// the published demo keys; any other key is never printed.
/// </summary>
internal static class StartupBanner
{
    /// <summary>The banner for a gateway listening on <paramref name="addresses"/>.</summary>
    public static string Render(IReadOnlyList<string> addresses, GatewayOptions options, ProviderDirectory providers, ModelCatalog models)
    {
        var url = addresses.Count > 0 ? addresses[0].TrimEnd('/') : "http://localhost:5000";
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"LLM gateway listening on {string.Join(", ", addresses)}");
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
        AppendTryLines(text, url, demoKey ?? "<your key>", models);
        if (options.MetricsEnabled)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Live dashboard: {url}/dashboard");
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

    private static void AppendTryLines(StringBuilder text, string url, string key, ModelCatalog models)
    {
        text.AppendLine("Try:");
        if (models.All.FirstOrDefault(route => route.Style == ProviderStyle.OpenAI) is { } openAI)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  curl -s {url}/v1/chat/completions -H 'Authorization: Bearer {key}' -H 'Content-Type: application/json' \\");
            text.AppendLine(CultureInfo.InvariantCulture, $"       -d '{{\"model\":\"{openAI.Name}\",\"messages\":[{{\"role\":\"user\",\"content\":\"Hello\"}}]}}'");
            text.AppendLine(CultureInfo.InvariantCulture, $"  curl -sN {url}/v1/chat/completions -H 'Authorization: Bearer {key}' -H 'Content-Type: application/json' \\");
            text.AppendLine(CultureInfo.InvariantCulture, $"       -d '{{\"model\":\"{openAI.Name}\",\"stream\":true,\"messages\":[{{\"role\":\"user\",\"content\":\"Hello\"}}]}}'");
            text.AppendLine(CultureInfo.InvariantCulture, $"  curl -s -X POST {url}/simulator/providers/{openAI.Providers[0].Name} -H 'Authorization: Bearer {key}' -d '{{\"mode\":\"failing\"}}'");
        }

        if (models.All.FirstOrDefault(route => route.Style == ProviderStyle.Anthropic) is { } anthropic)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  curl -s {url}/v1/messages -H 'x-api-key: {key}' -H 'anthropic-version: 2023-06-01' -H 'Content-Type: application/json' \\");
            text.AppendLine(CultureInfo.InvariantCulture, $"       -d '{{\"model\":\"{anthropic.Name}\",\"max_tokens\":64,\"messages\":[{{\"role\":\"user\",\"content\":\"Hello\"}}]}}'");
            text.AppendLine("  # the same model through the OpenAI API: the gateway translates to Anthropic Messages and back");
            text.AppendLine(CultureInfo.InvariantCulture, $"  curl -s {url}/v1/chat/completions -H 'Authorization: Bearer {key}' -H 'Content-Type: application/json' \\");
            text.AppendLine(CultureInfo.InvariantCulture, $"       -d '{{\"model\":\"{anthropic.Name}\",\"messages\":[{{\"role\":\"user\",\"content\":\"Hello\"}}]}}'");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"  curl -s {url}/metrics");
        text.AppendLine(CultureInfo.InvariantCulture, $"  curl -s {url}/v1/stats");
    }
}
