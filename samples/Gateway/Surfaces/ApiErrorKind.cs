namespace Gateway.Surfaces;

/// <summary>What went wrong, independent of the API whose error shape reports it.</summary>
internal enum ApiErrorKind
{
    /// <summary>The body is not JSON.</summary>
    InvalidJson,

    /// <summary>A required field is missing or has the wrong type, or the request does not fit the endpoint.</summary>
    InvalidRequest,

    /// <summary>No key, or a key the gateway does not know.</summary>
    Authentication,

    /// <summary>The credential is valid but may not do this.</summary>
    Permission,

    /// <summary>The model is not configured.</summary>
    ModelNotFound,

    /// <summary>The addressed resource does not exist.</summary>
    NotFound,

    /// <summary>The body is over the configured limit.</summary>
    RequestTooLarge,

    /// <summary>The body is not declared as JSON.</summary>
    UnsupportedMediaType,

    /// <summary>The account already holds as many live gateway tokens as it may.</summary>
    TokenLimitReached,

    /// <summary>The account is over its rate limit.</summary>
    RateLimited,

    /// <summary>Every provider failed, at least one with an error worse than being busy.</summary>
    UpstreamFailed,

    /// <summary>Every provider is busy or its circuit is open.</summary>
    UpstreamUnavailable,

    /// <summary>A server-side failure, as a simulated provider reports it.</summary>
    ServerError,

    /// <summary>The upstream stream broke after the response had started.</summary>
    StreamInterrupted,

    /// <summary>A request field has no equivalent in the API of the provider that must serve the request.</summary>
    Untranslatable,

    /// <summary>A provider reported itself overloaded (Anthropic's 529).</summary>
    Overloaded,
}
