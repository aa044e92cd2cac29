using Metrics;

namespace Gateway.Telemetry;

/// <summary>One account's series, resolved once: requests, rate-limited requests and tokens.</summary>
internal sealed class AccountMetrics
{
    private readonly bool _enabled;
    private readonly Counter _requests;
    private readonly Counter _rateLimited;
    private readonly Counter _promptTokens;
    private readonly Counter _completionTokens;

    /// <summary>Resolves the series of account <paramref name="account"/>.</summary>
    public AccountMetrics(GatewayMetrics metrics, string account)
    {
        _enabled = metrics.Enabled;
        _requests = metrics.AccountRequests.WithLabels(account);
        _rateLimited = metrics.RateLimited.WithLabels(account);
        _promptTokens = metrics.AccountTokens.WithLabels(account, "prompt");
        _completionTokens = metrics.AccountTokens.WithLabels(account, "completion");
    }

    /// <summary>Counts one authenticated LLM request.</summary>
    public void RecordRequest()
    {
        if (_enabled)
        {
            _requests.Inc();
        }
    }

    /// <summary>Counts one request refused by the rate limiter.</summary>
    public void RecordRateLimited()
    {
        if (_enabled)
        {
            _rateLimited.Inc();
        }
    }

    /// <summary>The account's totals now, read from its own series: what <c>/v1/accounts</c> reports for it.</summary>
    public AccountStats Read(string account) =>
        new(account, _requests.Value, _rateLimited.Value, _promptTokens.Value, _completionTokens.Value);

    /// <summary>Adds the tokens one request used.</summary>
    public void RecordTokens(long prompt, long completion)
    {
        if (_enabled)
        {
            _promptTokens.Inc(prompt);
            _completionTokens.Inc(completion);
        }
    }
}
