namespace Gateway.Accounts;

/// <summary>A gateway token as the store keeps it: never the secret itself, only its hash.</summary>
internal sealed class IssuedToken(string id, string hash, string? name, Credential credential, DateTimeOffset createdAt, DateTimeOffset? expiresAt)
{
    /// <summary>The public identifier, used to revoke the token.</summary>
    public string Id { get; } = id;

    /// <summary>The SHA-256 hash of the secret, the key the store resolves it by.</summary>
    public string Hash { get; } = hash;

    /// <summary>The caller's label for the token, if any.</summary>
    public string? Name { get; } = name;

    /// <summary>The credential the token authenticates as.</summary>
    public Credential Credential { get; } = credential;

    /// <summary>When the token was issued.</summary>
    public DateTimeOffset CreatedAt { get; } = createdAt;

    /// <summary>When the token stops working, or null for never.</summary>
    public DateTimeOffset? ExpiresAt { get; } = expiresAt;

    /// <summary>Whether the token has expired at <paramref name="now"/>.</summary>
    public bool IsExpiredAt(DateTimeOffset now) => ExpiresAt is { } expiry && expiry <= now;
}
