using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Gateway.Configuration;
using Gateway.Telemetry;

namespace Gateway.Accounts;

/// <summary>
/// Resolves API keys and issued gateway tokens to credentials. Only SHA-256 hashes of secrets are kept, so a memory
/// dump or a debugger shows no usable key. Issued tokens live in memory and end with the process. Each account
/// holds at most <see cref="TokenOptions.MaxPerAccount"/> live tokens in a ledger of its own, and expired tokens are
/// dropped whenever their account's ledger or the token itself is touched, so memory stays bounded by the cap.
/// </summary>
internal sealed class CredentialStore
{
    private const string TokenPrefix = "gwt-";
    private readonly Dictionary<string, Credential> _accountKeys = new(StringComparer.Ordinal);
    private readonly Dictionary<Account, TokenLedger> _ledgers = [];
    private readonly ConcurrentDictionary<string, IssuedToken> _tokensByHash = new(StringComparer.Ordinal);
    private readonly GatewayMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly int _maxPerAccount;
    private readonly Action<IssuedToken> _forget;

    /// <summary>Indexes the configured key of every account and gives each an empty token ledger.</summary>
    public CredentialStore(AccountDirectory accounts, GatewayMetrics metrics, GatewayOptions options, TimeProvider time)
    {
        _metrics = metrics;
        _time = time;
        _maxPerAccount = options.Tokens.MaxPerAccount;
        _forget = token => _tokensByHash.TryRemove(token.Hash, out _);
        foreach (var account in accounts.All)
        {
            _accountKeys.Add(Hash(account.Options.ApiKey), new Credential(account, CredentialKind.AccountKey));
            _ledgers.Add(account, new TokenLedger());
        }
    }

    /// <summary>The most live tokens one account may hold.</summary>
    public int MaxPerAccount => _maxPerAccount;

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

        if (!token.IsExpiredAt(_time.GetUtcNow()))
        {
            return token.Credential;
        }

        _ledgers[token.Credential.Account].Remove(token);
        _forget(token);
        return null;
    }

    /// <summary>
    /// Issues a token for <paramref name="account"/> unless it already holds <see cref="MaxPerAccount"/> live ones;
    /// the secret is returned once and never stored.
    /// </summary>
    public bool TryIssue(Account account, string? name, TimeSpan? lifetime, out IssuedToken token, out string secret)
    {
        secret = TokenPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var now = _time.GetUtcNow();
        token = new IssuedToken(
            "tok_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            Hash(secret),
            name,
            new Credential(account, CredentialKind.GatewayToken),
            now,
            lifetime is { } span ? now + span : null);

        // Indexed before it joins the ledger, so a purge that races with the issue can only remove it, not leave it behind.
        _tokensByHash[token.Hash] = token;
        if (!_ledgers[account].TryAdd(token, _maxPerAccount, now, _forget))
        {
            _forget(token);
            return false;
        }

        _metrics.RecordTokenIssued();
        return true;
    }

    /// <summary>Revokes token <paramref name="id"/> if <paramref name="account"/> holds it; false when it holds no such live token.</summary>
    public bool Revoke(Account account, string id)
    {
        if (_ledgers[account].Remove(id) is not { } token)
        {
            return false;
        }

        _forget(token);
        if (token.IsExpiredAt(_time.GetUtcNow()))
        {
            return false;
        }

        _metrics.RecordTokenRevoked();
        return true;
    }

    /// <summary>The live tokens of <paramref name="account"/>, oldest first.</summary>
    public IReadOnlyList<IssuedToken> TokensOf(Account account) => _ledgers[account].Live(_time.GetUtcNow(), _forget);

    private static string Hash(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
