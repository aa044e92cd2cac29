using System.ClientModel;
using System.ClientModel.Primitives;
using Anthropic;
using Anthropic.Core;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Responses;

namespace Gateway.Sdk.Tests.Support;

/// <summary>
/// The official SDKs' clients, pointed at a test gateway exactly as a user points them at the real APIs' base URLs.
/// Their HTTP handler drains nothing of a response the caller stopped reading, so the connection closes the moment
/// a stream is abandoned (by default .NET reads on up to 1 MB for 2 s to reuse the connection). They use the public
/// listener unless a test names another <c>listener</c>.
/// </summary>
internal static class SdkClients
{
    public static ChatClient Chat(TestGateway gateway, string model, AttemptLog? log = null, string key = TestKeys.Alpha, int maxRetries = 0, Uri? listener = null) =>
        new OpenAIClient(new ApiKeyCredential(key), OpenAIOptions(listener ?? gateway.BaseUri, log, maxRetries)).GetChatClient(model);

    public static ResponsesClient Responses(TestGateway gateway, AttemptLog? log = null, string key = TestKeys.Alpha, int maxRetries = 0) =>
        new OpenAIClient(new ApiKeyCredential(key), OpenAIOptions(gateway.BaseUri, log, maxRetries)).GetResponsesClient();

    public static global::OpenAI.Models.OpenAIModelClient Models(TestGateway gateway, string key = TestKeys.Alpha) =>
        new OpenAIClient(new ApiKeyCredential(key), OpenAIOptions(gateway.BaseUri, null, 0)).GetOpenAIModelClient();

    public static AnthropicClient Anthropic(TestGateway gateway, AttemptLog? log = null, string key = TestKeys.Alpha, int maxRetries = 0, Uri? listener = null) =>
        new(new ClientOptions
        {
            ApiKey = key,
            BaseUrl = (listener ?? gateway.BaseUri).AbsoluteUri.TrimEnd('/'),
            MaxRetries = maxRetries,
            HttpClient = new HttpClient((log ?? new AttemptLog()).AnthropicHandler()),
        });

    private static OpenAIClientOptions OpenAIOptions(Uri listener, AttemptLog? log, int maxRetries)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = new Uri(listener, "/v1"),
            RetryPolicy = new ClientRetryPolicy(maxRetries),
            Transport = new HttpClientPipelineTransport(new HttpClient(AttemptLog.NonDrainingHandler())),
        };
        options.AddPolicy((log ?? new AttemptLog()).OpenAIPolicy(), PipelinePosition.PerTry);
        return options;
    }
}
