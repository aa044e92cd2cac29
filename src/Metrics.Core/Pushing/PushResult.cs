namespace Metrics;

/// <summary>The outcome of one push or deletion, retries included.</summary>
public sealed class PushResult
{
    internal PushResult(string method, Uri url, int attempts, int? statusCode, Exception? error, string? message)
    {
        Method = method;
        Url = url;
        Attempts = attempts;
        StatusCode = statusCode;
        Error = error;
        Message = message;
    }

    /// <summary>The HTTP method sent: <c>PUT</c>, <c>POST</c> or <c>DELETE</c>.</summary>
    public string Method { get; }

    /// <summary>The group's URL on the Pushgateway.</summary>
    public Uri Url { get; }

    /// <summary>Whether the Pushgateway accepted it (a 2xx answer).</summary>
    public bool Succeeded => Error is null && StatusCode is >= 200 and < 300;

    /// <summary>How many requests were sent, 1 when the first was answered with success or a fault that retrying cannot fix.</summary>
    public int Attempts { get; }

    /// <summary>The status of the last answer, or null when the last attempt got none (connection refused, timeout).</summary>
    public int? StatusCode { get; }

    /// <summary>What made the last attempt fail without an answer, or null.</summary>
    public Exception? Error { get; }

    /// <summary>The start of the Pushgateway's answer to a failed push, which says what it refused; null on success.</summary>
    public string? Message { get; }
}
