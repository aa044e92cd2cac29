namespace Gateway.Telemetry;

/// <summary>The body of <c>GET /v1/accounts</c>.</summary>
/// <param name="Accounts">One entry per configured account, in name order.</param>
internal sealed record AccountsReport(IReadOnlyList<AccountStats> Accounts);

/// <summary>One account's usage, from the account metrics. It names the account, never its key.</summary>
/// <param name="Name">The account name.</param>
/// <param name="Requests">Authenticated LLM requests, rate-limited ones included.</param>
/// <param name="RateLimited">Requests refused by the account's rate limit.</param>
/// <param name="PromptTokens">Prompt tokens used.</param>
/// <param name="CompletionTokens">Completion tokens used.</param>
internal sealed record AccountStats(string Name, long Requests, long RateLimited, long PromptTokens, long CompletionTokens);
