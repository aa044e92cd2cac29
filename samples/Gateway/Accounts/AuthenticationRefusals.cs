namespace Gateway.Accounts;

/// <summary>
/// Keeps the log quiet under a flood of requests without a valid key: each refusal is one Debug entry, and at most
/// once a minute one Warning says how many were refused since the last, so an operator sees that it happens and how
/// much, while a client that hammers the gateway cannot fill its disk.
/// </summary>
internal sealed partial class AuthenticationRefusals : IDisposable
{
    /// <summary>How often the Warning summary is written, when there was a refusal since the last.</summary>
    public static readonly TimeSpan SummaryInterval = TimeSpan.FromMinutes(1);

    // The framework logs each authorization failure at Information under this category; the gateway counts them itself.
    private const string AuthorizationServiceCategory = "Microsoft.AspNetCore.Authorization.DefaultAuthorizationService";

    private readonly ILogger<AuthenticationRefusals> _logger;
    private readonly ITimer _timer;
    private long _missing;
    private long _invalid;

    /// <summary>Starts the summary timer on <paramref name="time"/>.</summary>
    public AuthenticationRefusals(TimeProvider time, ILogger<AuthenticationRefusals> logger)
    {
        _logger = logger;
        _timer = time.CreateTimer(static state => ((AuthenticationRefusals)state!).Summarize(), this, SummaryInterval, SummaryInterval);
    }

    /// <summary>Lowers the framework's per-refusal authorization entries to Warning and above, which it never writes for them.</summary>
    public static void QuietFrameworkLogs(ILoggingBuilder logging) => logging.AddFilter(AuthorizationServiceCategory, LogLevel.Warning);

    /// <summary>Counts one request refused for a missing (<paramref name="keyMissing"/>) or unknown key at <paramref name="endpoint"/>.</summary>
    public void Record(bool keyMissing, Endpoint? endpoint)
    {
        if (keyMissing)
        {
            Interlocked.Increment(ref _missing);
        }
        else
        {
            Interlocked.Increment(ref _invalid);
        }

        LogRefused(_logger, keyMissing ? "no API key" : "an unknown, revoked or expired API key", endpoint?.DisplayName ?? "(no endpoint)");
    }

    /// <summary>Stops the summary timer.</summary>
    public void Dispose() => _timer.Dispose();

    private void Summarize()
    {
        var missing = Interlocked.Exchange(ref _missing, 0);
        var invalid = Interlocked.Exchange(ref _invalid, 0);
        if (missing + invalid > 0)
        {
            LogSummary(_logger, missing + invalid, SummaryInterval.TotalSeconds, missing, invalid);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Refused a request with {Reason} at {Endpoint}.")]
    private static partial void LogRefused(ILogger logger, string reason, string endpoint);

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "Refused {Refused} requests without a valid API key in the last {Seconds} s: {Missing} with no key, {Invalid} with an unknown, revoked or expired one.")]
    private static partial void LogSummary(ILogger logger, long refused, double seconds, long missing, long invalid);
}
