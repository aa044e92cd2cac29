namespace Gateway.Telemetry;

/// <summary>The values of the <c>error_type</c> label of <c>llm_errors_total</c>.</summary>
internal static class ErrorTypes
{
    /// <summary>An attempt got no response headers in time, or a stream went silent.</summary>
    public const string Timeout = "timeout";

    /// <summary>The provider answered 5xx.</summary>
    public const string Upstream5xx = "upstream_5xx";

    /// <summary>The provider answered 429.</summary>
    public const string Upstream429 = "upstream_429";

    /// <summary>The provider refused the gateway's own credentials (401 or 403): a configuration fault, not the client's.</summary>
    public const string UpstreamAuth = "upstream_auth";

    /// <summary>The connection failed, or broke during a stream.</summary>
    public const string Connection = "connection";

    /// <summary>The provider answered with a body or event that its API does not allow, so it could not be translated.</summary>
    public const string BadResponse = "bad_response";

    /// <summary>The provider's circuit breaker was open, so no attempt was made.</summary>
    public const string CircuitOpen = "circuit_open";

    /// <summary>The request was malformed, too large, for an unknown model, or rejected by the provider as invalid.</summary>
    public const string BadRequest = "bad_request";

    /// <summary>Every provider of the model failed.</summary>
    public const string NoBackend = "no_backend";

    /// <summary>The account was over its rate limit.</summary>
    public const string RateLimited = "rate_limited";
}
