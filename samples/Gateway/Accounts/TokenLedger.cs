namespace Gateway.Accounts;

/// <summary>
/// One account's issued tokens, oldest first, never more than the account's cap. Every operation on it drops the
/// expired ones first, so expired tokens never pile up, and listing or revoking costs O(the account's own tokens),
/// whatever other accounts hold.
/// </summary>
internal sealed class TokenLedger
{
    private readonly Lock _lock = new();
    private readonly List<IssuedToken> _tokens = [];

    /// <summary>
    /// Adds <paramref name="token"/> unless the ledger already holds <paramref name="limit"/> live tokens. Expired
    /// tokens are removed first and passed to <paramref name="purged"/>.
    /// </summary>
    public bool TryAdd(IssuedToken token, int limit, DateTimeOffset now, Action<IssuedToken> purged)
    {
        lock (_lock)
        {
            Purge(now, purged);
            if (_tokens.Count >= limit)
            {
                return false;
            }

            _tokens.Add(token);
            return true;
        }
    }

    /// <summary>Removes and returns the token with <paramref name="id"/>, or null when the ledger has none.</summary>
    public IssuedToken? Remove(string id)
    {
        lock (_lock)
        {
            var index = _tokens.FindIndex(token => token.Id == id);
            if (index < 0)
            {
                return null;
            }

            var token = _tokens[index];
            _tokens.RemoveAt(index);
            return token;
        }
    }

    /// <summary>Removes <paramref name="token"/> if the ledger still holds it.</summary>
    public bool Remove(IssuedToken token)
    {
        lock (_lock)
        {
            return _tokens.Remove(token);
        }
    }

    /// <summary>The live tokens, oldest first, after removing the expired ones (passed to <paramref name="purged"/>).</summary>
    public IssuedToken[] Live(DateTimeOffset now, Action<IssuedToken> purged)
    {
        lock (_lock)
        {
            Purge(now, purged);
            return [.. _tokens];
        }
    }

    private void Purge(DateTimeOffset now, Action<IssuedToken> purged)
    {
        for (var i = _tokens.Count - 1; i >= 0; i--)
        {
            if (_tokens[i].IsExpiredAt(now))
            {
                purged(_tokens[i]);
                _tokens.RemoveAt(i);
            }
        }
    }
}
