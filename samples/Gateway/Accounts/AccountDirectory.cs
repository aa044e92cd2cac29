using Gateway.Configuration;
using Gateway.Telemetry;

namespace Gateway.Accounts;

/// <summary>The configured accounts.</summary>
internal sealed class AccountDirectory
{
    /// <summary>Creates every account of <paramref name="options"/>, with its metric handles.</summary>
    public AccountDirectory(GatewayOptions options, GatewayMetrics metrics)
    {
        All = [.. options.Accounts.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => new Account(pair.Key, pair.Value, new AccountMetrics(metrics, pair.Key)))];
    }

    /// <summary>Every account, in name order.</summary>
    public IReadOnlyList<Account> All { get; }
}
