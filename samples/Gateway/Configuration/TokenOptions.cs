namespace Gateway.Configuration;

/// <summary>
/// Limits on gateway tokens (<c>POST /v1/tokens</c>), so that no account can make the gateway hold an unbounded
/// number of them: a cap on each account's live tokens, and a range for the lifetime a request may ask for.
/// </summary>
internal sealed class TokenOptions
{
    /// <summary>The most live (unexpired, unrevoked) tokens one account may hold; issuing more gets 400.</summary>
    public int MaxPerAccount { get; set; } = 100;

    /// <summary>The shortest lifetime <c>expires_in_seconds</c> may ask for.</summary>
    public TimeSpan MinLifetime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest lifetime <c>expires_in_seconds</c> may ask for. A token issued without one lasts until revoked.</summary>
    public TimeSpan MaxLifetime { get; set; } = TimeSpan.FromDays(365);
}
