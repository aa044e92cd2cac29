namespace Gateway.Configuration;

/// <summary>Checks the configuration at start-up, so a mistake stops the gateway with a message instead of failing requests.</summary>
internal static class GatewayOptionsValidation
{
    /// <summary>Every problem found, in words that name the setting; empty when the configuration is usable.</summary>
    public static List<string> Problems(GatewayOptions options)
    {
        var problems = new List<string>();
        if (options.Providers.Count == 0)
        {
            problems.Add("Gateway:Providers is empty; configure at least one provider.");
        }

        if (options.MaxRequestBodyBytes < 1)
        {
            problems.Add($"Gateway:MaxRequestBodyBytes is {options.MaxRequestBodyBytes}; it must be positive.");
        }

        if (options.MaxOutputTokens < 1)
        {
            problems.Add($"Gateway:MaxOutputTokens is {options.MaxOutputTokens}; it must be positive.");
        }

        foreach (var (name, provider) in options.Providers)
        {
            if (!provider.IsSimulated && !Uri.TryCreate(provider.BaseUrl, UriKind.Absolute, out _))
            {
                problems.Add($"Gateway:Providers:{name}:BaseUrl '{provider.BaseUrl}' is not an absolute URL.");
            }
        }

        foreach (var (name, model) in options.Models)
        {
            AddModelProblems(options, name, model, problems);
        }

        AddAccountProblems(options, problems);
        AddTokenProblems(options.Tokens, problems);
        AddResilienceProblems(options.Resilience, problems);
        if (options.HealthChecks.Interval <= TimeSpan.Zero || options.HealthChecks.Timeout <= TimeSpan.Zero)
        {
            problems.Add("Gateway:HealthChecks:Interval and Timeout must be positive.");
        }

        return problems;
    }

    // Polly's own limits, checked here so that a bad value stops the start instead of the first request.
    private static void AddResilienceProblems(ResilienceOptions resilience, List<string> problems)
    {
        var minimumWindow = TimeSpan.FromMilliseconds(500);
        var minimumTimeout = TimeSpan.FromMilliseconds(10);
        var maximumTimeout = TimeSpan.FromDays(1);
        if (resilience.MaxRetryAttempts < 0)
        {
            problems.Add("Gateway:Resilience:MaxRetryAttempts must be 0 or more.");
        }

        if (resilience.RetryDelay < TimeSpan.Zero || resilience.RetryDelay > maximumTimeout)
        {
            problems.Add("Gateway:Resilience:RetryDelay must be between 0 and 1 day.");
        }

        if (resilience.FailureRatio is <= 0 or > 1)
        {
            problems.Add("Gateway:Resilience:FailureRatio must be above 0 and at most 1.");
        }

        if (resilience.MinimumThroughput < 2)
        {
            problems.Add("Gateway:Resilience:MinimumThroughput must be at least 2.");
        }

        if (resilience.SamplingDuration < minimumWindow || resilience.BreakDuration < minimumWindow)
        {
            problems.Add("Gateway:Resilience:SamplingDuration and BreakDuration must be at least 0.5 s.");
        }

        foreach (var (name, timeout) in (ReadOnlySpan<(string, TimeSpan)>)[
            ("AttemptTimeout", resilience.AttemptTimeout),
            ("TotalTimeout", resilience.TotalTimeout),
            ("ResponseIdleTimeout", resilience.ResponseIdleTimeout)])
        {
            if (timeout < minimumTimeout || timeout > maximumTimeout)
            {
                problems.Add($"Gateway:Resilience:{name} must be between 10 ms and 1 day.");
            }
        }
    }

    private static void AddTokenProblems(TokenOptions tokens, List<string> problems)
    {
        if (tokens.MaxPerAccount < 1)
        {
            problems.Add("Gateway:Tokens:MaxPerAccount must be at least 1.");
        }

        // Whole seconds, as expires_in_seconds takes them; ten years keeps every expiry far from DateTimeOffset's end.
        if (tokens.MinLifetime < TimeSpan.FromSeconds(1) || tokens.MaxLifetime < tokens.MinLifetime || tokens.MaxLifetime > TimeSpan.FromDays(3650))
        {
            problems.Add("Gateway:Tokens:MinLifetime must be at least 1 s, and MaxLifetime at least MinLifetime and at most 3650 days.");
        }
    }

    private static void AddModelProblems(GatewayOptions options, string name, ModelOptions model, List<string> problems)
    {
        if (model.Providers.Count == 0)
        {
            problems.Add($"Gateway:Models:{name}:Providers is empty; list the providers that serve the model.");
            return;
        }

        foreach (var providerName in model.Providers)
        {
            if (!options.Providers.ContainsKey(providerName))
            {
                problems.Add($"Gateway:Models:{name} names provider '{providerName}', which Gateway:Providers does not define.");
            }
        }

        foreach (var (providerName, upstreamName) in model.UpstreamModels)
        {
            if (!model.Providers.Contains(providerName))
            {
                problems.Add($"Gateway:Models:{name}:UpstreamModels names provider '{providerName}', which is not in the model's Providers.");
            }
            else if (string.IsNullOrWhiteSpace(upstreamName))
            {
                problems.Add($"Gateway:Models:{name}:UpstreamModels:{providerName} is empty.");
            }
        }
    }

    private static void AddAccountProblems(GatewayOptions options, List<string> problems)
    {
        var accountsByKey = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, account) in options.Accounts)
        {
            if (string.IsNullOrWhiteSpace(account.ApiKey))
            {
                problems.Add($"Gateway:Accounts:{name}:ApiKey is empty.");
            }
            else if (!accountsByKey.TryAdd(account.ApiKey, name))
            {
                problems.Add($"Gateway:Accounts:{name} uses the same ApiKey as account '{accountsByKey[account.ApiKey]}'; keys must be unique.");
            }

            if (account.RequestsPerMinute < 1 || account.Burst < 1)
            {
                problems.Add($"Gateway:Accounts:{name} needs RequestsPerMinute and Burst of at least 1.");
            }
        }
    }
}
