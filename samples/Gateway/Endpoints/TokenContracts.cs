namespace Gateway.Endpoints;

/// <summary>The optional body of <c>POST /v1/tokens</c>.</summary>
/// <param name="Name">A label for the token, such as the service that will use it.</param>
/// <param name="ExpiresInSeconds">The token's lifetime; null for one that lasts until revoked.</param>
internal sealed record IssueTokenRequest(string? Name, long? ExpiresInSeconds);

/// <summary>A gateway token as listed: everything but the secret.</summary>
/// <param name="Id">The identifier that <c>DELETE /v1/tokens/{id}</c> takes.</param>
/// <param name="Account">The account the token belongs to.</param>
/// <param name="Name">The caller's label, if any.</param>
/// <param name="CreatedAt">When it was issued.</param>
/// <param name="ExpiresAt">When it stops working, or null.</param>
internal sealed record TokenInfo(string Id, string Account, string? Name, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);

/// <summary>The answer to <c>POST /v1/tokens</c>: the only time the secret is shown.</summary>
/// <param name="Id">The identifier that <c>DELETE /v1/tokens/{id}</c> takes.</param>
/// <param name="Token">The secret, to send as <c>Authorization: Bearer</c>.</param>
/// <param name="Account">The account the token belongs to.</param>
/// <param name="Name">The caller's label, if any.</param>
/// <param name="CreatedAt">When it was issued.</param>
/// <param name="ExpiresAt">When it stops working, or null.</param>
internal sealed record IssuedTokenResponse(string Id, string Token, string Account, string? Name, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);

/// <summary>The answer to <c>GET /v1/tokens</c>.</summary>
/// <param name="Data">The caller's account's live tokens, oldest first.</param>
internal sealed record TokenList(IReadOnlyList<TokenInfo> Data);
