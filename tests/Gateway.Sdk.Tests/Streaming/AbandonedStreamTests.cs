using Anthropic.Models.Messages;
using Gateway.Sdk.Tests.Anthropic;
using Gateway.Sdk.Tests.Support;
using OpenAI.Chat;
using static Metrics.Testing.GatewayHarness.GatewaySettings;

namespace Gateway.Sdk.Tests.Streaming;

/// <summary>
/// A client that stops reading a stream part-way is one outcome everywhere: 499 in <c>llm_requests_total</c>, in
/// <c>http_requests_total</c>, in <c>/v1/stats</c> and in the access log, with only the usage the events it was sent
/// reported (nothing is estimated): Anthropic's <c>message_start</c> carries the input tokens and 1 output token,
/// while OpenAI reports usage only in its last chunk, which an abandoned stream never reaches.
/// </summary>
public class AbandonedStreamTests
{
    private const int TokenIntervalMs = 150;

    [TestCase(GptModel, OpenAIPrimary, false)]
    [TestCase(ClaudeModel, AnthropicPrimary, true)]
    public async Task Openai_chat_stream_abandoned_after_four_chunks_is_499_everywhere_with_only_delivered_usage(string model, string provider, bool translated)
    {
        await using var gateway = await SlowGatewayAsync(provider);
        var client = SdkClients.Chat(gateway, model);
        var read = 0;
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("Stream me a long answer")]))
        {
            if (++read == 4)
            {
                break;
            }
        }

        // Translated from Anthropic, the delivered message_start reported the input tokens and 1 output token: the
        // simulated count of the translated request is 3 + "user" 1 + "text" 1 + "Stream me a long answer" 6.
        var expected = translated ? (Prompt: 11L, Completion: 1L) : (Prompt: 0L, Completion: 0L);
        await ShouldBeAbandonedAsync(gateway, "openai_chat", "/v1/chat/completions", provider, model, expected);
    }

    [TestCase(ClaudeModel, AnthropicPrimary, false)]
    [TestCase(GptModel, OpenAIPrimary, true)]
    public async Task Anthropic_stream_abandoned_after_four_events_is_499_everywhere_with_only_delivered_usage(string model, string provider, bool translated)
    {
        await using var gateway = await SlowGatewayAsync(provider);
        var client = SdkClients.Anthropic(gateway);
        var read = 0;
        long? reportedInput = null;
        await foreach (var streamEvent in client.Messages.CreateStreaming(MessagesSdkTests.Parameters(model, "Stream me a long answer")))
        {
            if (streamEvent.TryPickStart(out var start))
            {
                reportedInput = start!.Message.Usage.InputTokens;
            }

            if (++read == 4)
            {
                break;
            }
        }

        // Native, message_start reported the input tokens and 1 output token; translated from OpenAI, nothing yet.
        reportedInput.ShouldBe(translated ? 0 : 10);
        var expected = translated ? (Prompt: 0L, Completion: 0L) : (Prompt: 10L, Completion: 1L);
        await ShouldBeAbandonedAsync(gateway, "anthropic_messages", "/v1/messages", provider, model, expected);
    }

    private static Task<TestGateway> SlowGatewayAsync(string provider) =>
        TestGateway.StartAsync(settings => settings.Set($"Gateway:Providers:{provider}:Simulation:TokenIntervalMs", TokenIntervalMs.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private static async Task ShouldBeAbandonedAsync(TestGateway gateway, string surface, string route, string provider, string model, (long Prompt, long Completion) expected)
    {
        await Eventually.TrueAsync(
            () => gateway.RegistryValue("http_requests_total", route, "POST", "499") == 1,
            "the adapter recorded the abandoned request");
        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_requests_total", ("surface", surface), ("provider", provider), ("model", model), ("status", "499")).ShouldBe(1);
        metrics.Sum("llm_requests_total").ShouldBe(1);
        metrics.Value("http_requests_total", ("route", route), ("method", "POST"), ("status", "499")).ShouldBe(1);
        metrics.Value("llm_tokens_total", ("provider", provider), ("model", model), ("type", "prompt")).ShouldBe(expected.Prompt);
        metrics.Value("llm_tokens_total", ("provider", provider), ("model", model), ("type", "completion")).ShouldBe(expected.Completion);
        metrics.Value("llm_account_tokens_total", ("account", "alpha"), ("type", "completion")).ShouldBe(expected.Completion);
        var stats = await gateway.ManagementJsonAsync("/v1/stats");
        stats.GetProperty("requests").GetProperty("errors").GetInt64().ShouldBe(1);
        stats.GetProperty("requests").GetProperty("success").GetInt64().ShouldBe(0);
        gateway.Logs.All.ShouldContain($"POST {route} answered 499");
    }
}
