using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Gateway.Telemetry;

namespace Gateway.Accounts;

/// <summary>
/// Resolves API keys and issued gateway tokens to credentials. Only SHA-256 hashes of secrets are kept, so a memory
/// dump or a debugger shows no usable key. Issued tokens live in memory and end with the process.
/// </summary>
internal sealed class CredentialStore
{
    private const string TokenPrefix = "gwt-";
    private readonly Dictionary<string, Credential> _accountKeys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IssuedToken> _tokensByHash = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _hashesById = new(StringComparer.Ordinal);
    private readonly GatewayMetrics _metrics;
    private readonly TimeProvider _time;

    /// <summary>Indexes the configured key of every account.</summary>
    public CredentialStore(AccountDirectory accounts, GatewayMetrics metrics, TimeProvider time)
    {
        _metrics = metrics;
        _time = time;
        foreach (var account in accounts.All)
        {
            _accountKeys.Add(Hash(account.Options.ApiKey), new Credential(account, CredentialKind.AccountKey));
        }
    }

    /// <summary>The credential <paramref name="secret"/> stands for, or null for an unknown, revoked or expired one.</summary>
    public Credential? Resolve(string secret)
    {
        var hash = Hash(secret);
        if (_accountKeys.TryGetValue(hash, out var credential))
        {
            return credential;
        }

        if (!_tokensByHash.TryGetValue(hash, out var token))
        {
            return null;
        }

        return token.ExpiresAt is { } expiry && expiry <= _time.GetUtcNow() ? null : token.Credential;
    }

    /// <summary>Issues a token for <paramref name="account"/>; the secret is returned once and never stored.</summary>
    public (IssuedToken Token, string Secret) Issue(Account account, string? name, TimeSpan? lifetime)
    {
        var secret = TokenPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var now = _time.GetUtcNow();
        var token = new IssuedToken(
            "tok_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            name,
            new Credential(account, CredentialKind.GatewayToken),
            now,
            lifetime is { } span ? now + span : null);
        var hash = Hash(secret);
        _tokensByHash[hash] = token;
        _hashesById[token.Id] = hash;
        _metrics.RecordTokenIssued();
        return (token, secret);
    }

    /// <summary>Revokes token <paramref name="id"/> if <paramref name="account"/> owns it; false when there is no such token.</summary>
    public bool Revoke(Account account, string id)
    {
        if (!_hashesById.TryGetValue(id, out var hash)
            || !_tokensByHash.TryGetValue(hash, out var token)
            || token.Credential.Account != account
            || !_hashesById.TryRemove(id, out _))
        {
            return false;
        }

        _tokensByHash.TryRemove(hash, out _);
        _metrics.RecordTokenRevoked();
        return true;
    }

    /// <summary>The live tokens of <paramref name="account"/>, oldest first.</summary>
    public IReadOnlyList<IssuedToken> TokensOf(Account account) =>
        [.. _tokensByHash.Values.Where(token => token.Credential.Account == account).OrderBy(token => token.CreatedAt)];

    private static string Hash(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
