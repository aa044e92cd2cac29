using System.Net;
using Gateway.Resilience;
using Gateway.Telemetry;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Gateway.Routing;

/// <summary>
/// Why a provider could not serve a request after its retries: the <c>error_type</c> label and a summary for the
/// client that names the provider and the failure but never a key or a URL.
/// </summary>
internal sealed class UpstreamFailure(string errorType, string summary)
{
    /// <summary>The <c>error_type</c> label value.</summary>
    public string ErrorType { get; } = errorType;

    /// <summary>One sentence for the client's error message.</summary>
    public string Summary { get; } = summary;

    /// <summary>Whether the provider is only busy or fenced off (429 or an open circuit), rather than broken.</summary>
    public bool IsUnavailable => ErrorType is ErrorTypes.Upstream429 or ErrorTypes.CircuitOpen;

    /// <summary>
    /// The failure a response status stands for, or null when the status is the provider's real answer to the
    /// request, which the client gets as it is: a success, or a 4xx about the request itself (400, 404, 413, 422, …).
    /// </summary>
    public static UpstreamFailure? FromStatus(string provider, HttpStatusCode status)
    {
        var code = (int)status;
        return code switch
        {
            StatusCodes.Status429TooManyRequests => new(ErrorTypes.Upstream429, $"provider '{provider}' answered 429 Too Many Requests"),
            StatusCodes.Status408RequestTimeout => new(ErrorTypes.Timeout, $"provider '{provider}' answered 408 Request Timeout"),
            _ when ProviderFaults.IsCredentialRefusal(code) => new(ErrorTypes.UpstreamAuth, $"provider '{provider}' refused the gateway's credentials ({code} {ReasonOf(code)})"),
            >= 500 => new(ErrorTypes.Upstream5xx, $"provider '{provider}' answered {code} {ReasonOf(code)}"),
            _ => null,
        };
    }

    /// <summary>The failure an exception from the provider's pipeline stands for, or null when it is not a provider failure.</summary>
    public static UpstreamFailure? FromException(string provider, Exception exception) => exception switch
    {
        BrokenCircuitException => new(ErrorTypes.CircuitOpen, $"the circuit breaker of provider '{provider}' is open"),
        TimeoutRejectedException timeout => new(ErrorTypes.Timeout, $"provider '{provider}' did not answer within {timeout.Timeout.TotalSeconds:0.###} s"),
        HttpRequestException http => new(ErrorTypes.Connection, $"could not reach provider '{provider}' ({http.HttpRequestError})"),
        _ => null,
    };

    /// <summary>A stream that went silent for longer than <paramref name="idleTimeout"/> after it started.</summary>
    public static UpstreamFailure StreamStalled(string provider, TimeSpan idleTimeout) =>
        new(ErrorTypes.Timeout, $"provider '{provider}' sent nothing for {idleTimeout.TotalSeconds:0.###} s");

    /// <summary>A response body whose connection broke before it ended.</summary>
    public static UpstreamFailure BodyBroken(string provider) =>
        new(ErrorTypes.Connection, $"the connection to provider '{provider}' broke before the response ended");

    /// <summary>An answer that is not what the provider's API sends, so the client's API cannot carry it.</summary>
    public static UpstreamFailure BadResponse(string provider) =>
        new(ErrorTypes.BadResponse, $"provider '{provider}' sent an answer its API does not allow, which could not be translated");

    private static string ReasonOf(int code) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(code);
}
