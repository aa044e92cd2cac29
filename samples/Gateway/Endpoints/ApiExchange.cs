using Gateway.Surfaces;

namespace Gateway.Endpoints;

/// <summary>
/// One call to the provider-compatible API, as the access log reports it: the request id the gateway gave it, the
/// id the client was sent (the provider's own when one came back), and what served it. It travels with the request
/// as an <see cref="HttpContext"/> feature that <see cref="ApiExchangeMiddleware"/> creates.
/// </summary>
internal sealed class ApiExchange(string requestId, string header)
{
    /// <summary>The id the gateway made for the call, in the client API's style.</summary>
    public string RequestId { get; } = requestId;

    /// <summary>The id in the client's response header: <see cref="RequestId"/>, or the provider's id passed through.</summary>
    public string ClientRequestId { get; private set; } = requestId;

    /// <summary>The model the call asked for, once known.</summary>
    public string? Model { get; set; }

    /// <summary>The provider that answered, once one did.</summary>
    public string? Provider { get; set; }

    /// <summary>The status recorded in the metrics, when it differs from the response's (499 for a client that left).</summary>
    public int? Status { get; set; }

    /// <summary>Hands the client <paramref name="providerRequestId"/>, the provider's id, instead of the gateway's.</summary>
    public void UseProviderRequestId(HttpContext context, string providerRequestId)
    {
        ClientRequestId = providerRequestId;
        context.Response.Headers[header] = providerRequestId;
    }
}
