using Polly;
using Polly.Timeout;

namespace Gateway.Resilience;

/// <summary>
/// Which outcomes of a provider call are the provider's fault. Only those are retried and counted by its circuit
/// breaker, which every tenant shares: a 4xx caused by the request itself (400, 404, 413, 422, …) is the client's
/// answer, passed back once, and never moves the breaker, so one tenant's bad requests cannot fence a provider off
/// from the others.
/// </summary>
internal static class ProviderFaults
{
    /// <summary>Retried: 5xx, 408, 429, a connection failure or an attempt that timed out.</summary>
    public static bool IsTransient(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is HttpRequestException or TimeoutRejectedException
        || (outcome.Result is { } response && IsTransientStatus((int)response.StatusCode));

    /// <summary>
    /// Counted by the circuit breaker: the transient faults, and 401 or 403, which mean the provider refuses the
    /// gateway's own credentials; retrying does not help those, but every tenant's request would meet them.
    /// </summary>
    public static bool IsProviderFault(Outcome<HttpResponseMessage> outcome) =>
        IsTransient(outcome) || (outcome.Result is { } response && IsCredentialRefusal((int)response.StatusCode));

    /// <summary>Whether <paramref name="status"/> is a fault that may pass on retry.</summary>
    public static bool IsTransientStatus(int status) =>
        status >= StatusCodes.Status500InternalServerError
        || status is StatusCodes.Status408RequestTimeout or StatusCodes.Status429TooManyRequests;

    /// <summary>Whether <paramref name="status"/> says the provider refuses the gateway's credentials.</summary>
    public static bool IsCredentialRefusal(int status) => status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden;
}
