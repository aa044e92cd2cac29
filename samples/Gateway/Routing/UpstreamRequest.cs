using System.Net.Http.Headers;
using Gateway.Configuration;
using Gateway.Surfaces;

namespace Gateway.Routing;

/// <summary>Builds the requests the gateway sends to a provider, with the provider's own credentials.</summary>
internal static class UpstreamRequest
{
    /// <summary>The Anthropic API version sent when the client does not choose one.</summary>
    public const string DefaultAnthropicVersion = "2023-06-01";

    private const string AnthropicVersionHeader = "anthropic-version";
    private const string AnthropicBetaHeader = "anthropic-beta";

    /// <summary>The request that sends <paramref name="call"/> to <paramref name="provider"/>.</summary>
    public static HttpRequestMessage ForCompletion(Provider provider, UpstreamCall call, bool stream, HttpRequest client)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, provider.EndpointFor(call.Surface))
        {
            Content = new ByteArrayContent(call.Body),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (stream)
        {
            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        }

        Authenticate(message, provider, client);
        return message;
    }

    /// <summary>The health probe of <paramref name="provider"/>: its model list.</summary>
    public static HttpRequestMessage ForModels(Provider provider)
    {
        var message = new HttpRequestMessage(HttpMethod.Get, provider.ModelsEndpoint);
        Authenticate(message, provider, client: null);
        return message;
    }

    private static void Authenticate(HttpRequestMessage message, Provider provider, HttpRequest? client)
    {
        var key = provider.Options.ApiKey;
        if (provider.Style == ProviderStyle.OpenAI)
        {
            if (!string.IsNullOrEmpty(key))
            {
                message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }

            return;
        }

        if (!string.IsNullOrEmpty(key))
        {
            message.Headers.TryAddWithoutValidation("x-api-key", key);
        }

        // An OpenAI client's headers mean nothing to Anthropic; only an Anthropic client's version and betas pass on.
        var fromAnthropicClient = client?.HttpContext.GetEndpoint()?.Metadata.GetMetadata<ApiSurface>()?.Style == ProviderStyle.Anthropic;
        var version = fromAnthropicClient ? client!.Headers[AnthropicVersionHeader].ToString() : null;
        message.Headers.TryAddWithoutValidation(AnthropicVersionHeader, string.IsNullOrEmpty(version) ? DefaultAnthropicVersion : version);
        var beta = fromAnthropicClient ? client!.Headers[AnthropicBetaHeader].ToString() : null;
        if (!string.IsNullOrEmpty(beta))
        {
            message.Headers.TryAddWithoutValidation(AnthropicBetaHeader, beta);
        }
    }
}
