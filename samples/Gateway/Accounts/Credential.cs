namespace Gateway.Accounts;

/// <summary>The authenticated caller of a request: which account, and with what kind of credential.</summary>
internal sealed class Credential(Account account, CredentialKind kind)
{
    /// <summary>The account the credential belongs to.</summary>
    public Account Account { get; } = account;

    /// <summary>Whether this is the account key or an issued token.</summary>
    public CredentialKind Kind { get; } = kind;
}
