namespace Gateway.Accounts;

/// <summary>How a caller authenticated.</summary>
internal enum CredentialKind
{
    /// <summary>The account's configured key, which may also manage gateway tokens.</summary>
    AccountKey,

    /// <summary>A gateway token issued through <c>POST /v1/tokens</c>, which may only call the APIs.</summary>
    GatewayToken,
}
