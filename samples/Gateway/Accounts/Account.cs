using Gateway.Configuration;
using Gateway.Telemetry;

namespace Gateway.Accounts;

/// <summary>A customer account at run time: its name (the <c>account</c> label), limits and metric handles.</summary>
internal sealed class Account(string name, AccountOptions options, AccountMetrics metrics)
{
    /// <summary>The configured name.</summary>
    public string Name { get; } = name;

    /// <summary>The account's configuration.</summary>
    public AccountOptions Options { get; } = options;

    /// <summary>The account's metric handles.</summary>
    public AccountMetrics Metrics { get; } = metrics;
}
