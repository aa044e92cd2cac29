using Gateway.Sdk.Tests.Anthropic;
using Gateway.Sdk.Tests.Support;
using OpenAI.Chat;
using static Metrics.Testing.GatewayHarness.GatewaySettings;

namespace Gateway.Sdk.Tests.Translation;

/// <summary>A chain that crosses APIs: when its own API's provider fails, a model is served by a provider of the other API.</summary>
public class CrossStyleFailoverTests
{
    private const string CrossModel = "claude-cross";
    private const string FallbackModel = "gpt-fallback";

    [TestCase(false)]
    [TestCase(true)]
    public async Task Claude_model_fails_over_to_an_openai_provider_under_its_own_name_there(bool stream)
    {
        await using var gateway = await TestGateway.StartAsync(settings => settings
            .Model(CrossModel, AnthropicPrimary, OpenAISecondary)
            .Set($"Gateway:Models:{CrossModel}:UpstreamModels:{OpenAISecondary}", FallbackModel));
        await gateway.SetFaultAsync(AnthropicPrimary, "failing", count: 2);
        var client = SdkClients.Anthropic(gateway);
        var parameters = MessagesSdkTests.Parameters(CrossModel, "Hello");

        string text;
        string model;
        if (stream)
        {
            var builder = new System.Text.StringBuilder();
            model = "";
            await foreach (var streamEvent in client.Messages.CreateStreaming(parameters))
            {
                if (streamEvent.TryPickStart(out var start))
                {
                    model = start!.Message.Model.Raw();
                }
                else if (streamEvent.TryPickContentBlockDelta(out var delta) && delta!.Delta.TryPickText(out var textDelta))
                {
                    builder.Append(textDelta!.Text);
                }
            }

            text = builder.ToString();
        }
        else
        {
            var message = await client.Messages.Create(parameters);
            message.Content.Single().TryPickText(out var block).ShouldBeTrue();
            text = block!.Text;
            model = message.Model.Raw();
        }

        text.ShouldBe("This is a simulated answer from the gateway's");
        model.ShouldBe(FallbackModel);
        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_requests_total", ("surface", "anthropic_messages"), ("provider", OpenAISecondary), ("model", CrossModel), ("status", "200")).ShouldBe(1);
        metrics.Value("llm_failovers_total", ("from", AnthropicPrimary), ("to", OpenAISecondary)).ShouldBe(1);
        metrics.Value("llm_translations_total", ("from_surface", "anthropic_messages"), ("to_style", "openai")).ShouldBe(1);
        metrics.Value("llm_errors_total", ("error_type", "upstream_5xx"), ("provider", AnthropicPrimary)).ShouldBe(1);
        metrics.Value("llm_retries_total", ("provider", AnthropicPrimary)).ShouldBe(1);
        metrics.Value("llm_tokens_total", ("provider", OpenAISecondary), ("model", CrossModel), ("type", "completion")).ShouldBe(CompletionTokens);
    }

    [Test]
    public async Task Gpt_model_fails_over_to_an_anthropic_provider_for_an_openai_client()
    {
        await using var gateway = await TestGateway.StartAsync(settings => settings.Model("gpt-cross", OpenAIPrimary, AnthropicSecondary));
        await gateway.SetFaultAsync(OpenAIPrimary, "failing", count: 2);

        var completion = (await SdkClients.Chat(gateway, "gpt-cross").CompleteChatAsync([new UserChatMessage("Hello")])).Value;

        completion.Content.Single().Text.ShouldBe("This is a simulated answer from the gateway's");
        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_requests_total", ("surface", "openai_chat"), ("provider", AnthropicSecondary), ("model", "gpt-cross"), ("status", "200")).ShouldBe(1);
        metrics.Value("llm_failovers_total", ("from", OpenAIPrimary), ("to", AnthropicSecondary)).ShouldBe(1);
        metrics.Value("llm_translations_total", ("from_surface", "openai_chat"), ("to_style", "anthropic")).ShouldBe(1);
    }
}
