namespace Gateway.Configuration;

/// <summary>A customer account: its API key and its rate limit.</summary>
internal sealed class AccountOptions
{
    /// <summary>The key clients send as <c>Authorization: Bearer</c> or <c>x-api-key</c>. Never logged or exposed.</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>
    /// Whether the key is a published demo key, which the start-up banner may print so a newcomer can copy it.
    /// Keys of other accounts are never printed.
    /// </summary>
    public bool Demo { get; set; }

    /// <summary>The sustained rate of LLM requests the account may make.</summary>
    public int RequestsPerMinute { get; set; } = 600;

    /// <summary>How many LLM requests the account may make at once before the sustained rate applies.</summary>
    public int Burst { get; set; } = 60;
}
