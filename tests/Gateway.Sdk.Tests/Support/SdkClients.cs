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
/// a stream is abandoned (by default .NET reads on up to 1 MB for 2 s to reuse the connection).
/// </summary>
internal static class SdkClients
{
    public static ChatClient Chat(TestGateway gateway, string model, AttemptLog? log = null, string key = TestKeys.Alpha, int maxRetries = 0) =>
        new OpenAIClient(new ApiKeyCredential(key), OpenAIOptions(gateway, log, maxRetries)).GetChatClient(model);

    public static ResponsesClient Responses(TestGateway gateway, AttemptLog? log = null, string key = TestKeys.Alpha, int maxRetries = 0) =>
        new OpenAIClient(new ApiKeyCredential(key), OpenAIOptions(gateway, log, maxRetries)).GetResponsesClient();

    public static global::OpenAI.Models.OpenAIModelClient Models(TestGateway gateway, string key = TestKeys.Alpha) =>
        new OpenAIClient(new ApiKeyCredential(key), OpenAIOptions(gateway, null, 0)).GetOpenAIModelClient();

    public static AnthropicClient Anthropic(TestGateway gateway, AttemptLog? log = null, string key = TestKeys.Alpha, int maxRetries = 0) =>
        new(new ClientOptions
        {
            ApiKey = key,
            BaseUrl = gateway.BaseUri.AbsoluteUri.TrimEnd('/'),
            MaxRetries = maxRetries,
            HttpClient = new HttpClient((log ?? new AttemptLog()).AnthropicHandler()),
        });

    private static OpenAIClientOptions OpenAIOptions(TestGateway gateway, AttemptLog? log, int maxRetries)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = new Uri(gateway.BaseUri, "/v1"),
            RetryPolicy = new ClientRetryPolicy(maxRetries),
            Transport = new HttpClientPipelineTransport(new HttpClient(AttemptLog.NonDrainingHandler())),
        };
        options.AddPolicy((log ?? new AttemptLog()).OpenAIPolicy(), PipelinePosition.PerTry);
        return options;
    }
}
