using System.ClientModel;
using System.Net;
using Anthropic.Exceptions;
using Gateway.Sdk.Tests.Anthropic;
using Gateway.Sdk.Tests.Support;
using OpenAI.Chat;
using static Metrics.Testing.GatewayHarness.GatewaySettings;

namespace Gateway.Sdk.Tests.Listeners;

/// <summary>The SDKs reach the tenant APIs on the public listener only; the metrics of their calls are read on the management listener only.</summary>
public class ListenerSdkTests
{
    [Test]
    public async Task Sdks_are_served_on_the_public_listener_and_refused_on_the_management_one_whose_metrics_count_only_the_served_calls()
    {
        await using var gateway = await TestGateway.StartAsync();

        var chat = await SdkClients.Chat(gateway, GptModel).CompleteChatAsync([new UserChatMessage("hi")]);
        var message = await SdkClients.Anthropic(gateway).Messages.Create(MessagesSdkTests.Parameters(ClaudeModel, "hi"));
        var chatOnManagement = await Should.ThrowAsync<ClientResultException>(() =>
            SdkClients.Chat(gateway, GptModel, listener: gateway.ManagementUri).CompleteChatAsync([new UserChatMessage("hi")]));
        var messageOnManagement = await Should.ThrowAsync<AnthropicNotFoundException>(() =>
            SdkClients.Anthropic(gateway, listener: gateway.ManagementUri).Messages.Create(MessagesSdkTests.Parameters(ClaudeModel, "hi")));
        using var metricsOnPublic = await gateway.Client.GetAsync("metrics");

        chat.Value.Usage.OutputTokenCount.ShouldBe(CompletionTokens);
        message.Usage.OutputTokens.ShouldBe(CompletionTokens);
        chatOnManagement.Status.ShouldBe(404);
        messageOnManagement.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        metricsOnPublic.StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_requests_total", ("surface", "openai_chat"), ("provider", OpenAIPrimary), ("model", GptModel), ("status", "200")).ShouldBe(1);
        metrics.Value("llm_requests_total", ("surface", "anthropic_messages"), ("provider", AnthropicPrimary), ("model", ClaudeModel), ("status", "200")).ShouldBe(1);
        metrics.Sum("llm_requests_total").ShouldBe(2);
        metrics.Value("llm_account_requests_total", ("account", "alpha")).ShouldBe(2);
        metrics.Value("http_requests_total", ("route", "unmatched"), ("method", "POST"), ("status", "404")).ShouldBe(2);
    }
}
