using System.Text.Json;
using System.Text.RegularExpressions;
using Gateway.Sdk.Tests.Support;
using OpenAI.Chat;
using static Metrics.Testing.GatewayHarness.GatewaySettings;

namespace Gateway.Sdk.Tests.OpenAI;

/// <summary>The OpenAI SDK's <see cref="ChatClient"/> against OpenAI-served and (translated) Anthropic-served models.</summary>
public partial class ChatCompletionsSdkTests
{
    private const string Sentence = "This is a simulated answer from the gateway's";

    [TestCase(GptModel, OpenAIPrimary, false)]
    [TestCase(ClaudeModel, AnthropicPrimary, true)]
    public async Task Chat_completion_returns_the_answer_with_usage_and_request_id_and_is_counted_once(string model, string provider, bool translated)
    {
        await using var gateway = await TestGateway.StartAsync();
        var client = SdkClients.Chat(gateway, model);

        var result = await client.CompleteChatAsync([new SystemChatMessage("Be brief."), new UserChatMessage("Hello there")]);

        var completion = result.Value;
        completion.Content.Single().Text.ShouldBe(Sentence);
        completion.FinishReason.ShouldBe(ChatFinishReason.Stop);
        completion.Role.ShouldBe(ChatMessageRole.Assistant);
        completion.Model.ShouldBe(model);
        completion.Usage.OutputTokenCount.ShouldBe(CompletionTokens);
        result.GetRawResponse().Headers.TryGetValue("x-request-id", out var requestId).ShouldBeTrue();
        requestId.ShouldNotBeNull().ShouldMatch(translated ? AnthropicRequestId().ToString() : OpenAIRequestId().ToString());
        gateway.Logs.All.ShouldContain($"Request {requestId}: POST /v1/chat/completions answered 200");

        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_requests_total", ("surface", "openai_chat"), ("provider", provider), ("model", model), ("status", "200")).ShouldBe(1);
        metrics.Sum("llm_requests_total").ShouldBe(1);
        metrics.Value("llm_tokens_total", ("provider", provider), ("model", model), ("type", "prompt")).ShouldBe(completion.Usage.InputTokenCount);
        metrics.Value("llm_tokens_total", ("provider", provider), ("model", model), ("type", "completion")).ShouldBe(CompletionTokens);
        metrics.Value("llm_translations_total", ("from_surface", "openai_chat"), ("to_style", "anthropic")).ShouldBe(translated ? 1 : 0);
        metrics.Sum("llm_errors_total").ShouldBe(0);
    }

    [TestCase(GptModel, OpenAIPrimary, false)]
    [TestCase(ClaudeModel, AnthropicPrimary, true)]
    public async Task Chat_stream_arrives_token_by_token_with_the_usage_the_sdk_asks_for(string model, string provider, bool translated)
    {
        await using var gateway = await TestGateway.StartAsync();
        var log = new AttemptLog();
        var client = SdkClients.Chat(gateway, model, log);

        var text = new System.Text.StringBuilder();
        var updates = 0;
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("Stream me a short answer")]))
        {
            updates++;
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        text.ToString().ShouldBe(Sentence);
        finish.ShouldBe(ChatFinishReason.Stop);
        usage.ShouldNotBeNull().OutputTokenCount.ShouldBe(CompletionTokens);
        updates.ShouldBe(1 + CompletionTokens + 1 + 1);
        log.Attempts.Single().RequestId.ShouldNotBeNull().ShouldStartWith("req_");

        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_requests_total", ("surface", "openai_chat"), ("provider", provider), ("model", model), ("status", "200")).ShouldBe(1);
        metrics.Value("llm_tokens_total", ("provider", provider), ("model", model), ("type", "prompt")).ShouldBe(usage.InputTokenCount);
        metrics.Value("llm_tokens_total", ("provider", provider), ("model", model), ("type", "completion")).ShouldBe(CompletionTokens);
        metrics.Value("llm_time_to_first_token_seconds_count", ("provider", provider), ("model", model)).ShouldBe(1);
        metrics.Value("llm_translations_total", ("from_surface", "openai_chat"), ("to_style", "anthropic")).ShouldBe(translated ? 1 : 0);
    }

    [TestCase(GptModel, OpenAIPrimary, false)]
    [TestCase(ClaudeModel, AnthropicPrimary, true)]
    public async Task Required_tool_choice_yields_a_tool_call_whole_and_streamed(string model, string provider, bool translated)
    {
        await using var gateway = await TestGateway.StartAsync();
        var client = SdkClients.Chat(gateway, model);
        var options = new ChatCompletionOptions { ToolChoice = ChatToolChoice.CreateRequiredChoice() };
        options.Tools.Add(WeatherTool());
        List<ChatMessage> conversation = [new UserChatMessage("What is the weather in Paris?")];

        var completion = (await client.CompleteChatAsync(conversation, options)).Value;

        completion.FinishReason.ShouldBe(ChatFinishReason.ToolCalls);
        var call = completion.ToolCalls.Single();
        call.FunctionName.ShouldBe("get_weather");
        call.FunctionArguments.ToString().ShouldBe(WeatherArguments);
        call.Id.ShouldStartWith(translated ? "toolu_" : "call_");

        var arguments = new System.Text.StringBuilder();
        string? streamedName = null;
        ChatFinishReason? finish = null;
        await foreach (var update in client.CompleteChatStreamingAsync(conversation, options))
        {
            foreach (var toolUpdate in update.ToolCallUpdates)
            {
                streamedName ??= toolUpdate.FunctionName;
                arguments.Append(toolUpdate.FunctionArgumentsUpdate?.ToString());
            }

            finish ??= update.FinishReason;
        }

        streamedName.ShouldBe("get_weather");
        arguments.ToString().ShouldBe(WeatherArguments);
        finish.ShouldBe(ChatFinishReason.ToolCalls);

        // The tool's result goes back and the model answers in text: a full tool round trip.
        conversation.Add(new AssistantChatMessage(completion));
        conversation.Add(new ToolChatMessage(call.Id, "{\"temperature\":21}"));
        var answer = (await client.CompleteChatAsync(conversation, new ChatCompletionOptions { Tools = { WeatherTool() } })).Value;
        answer.Content.Single().Text.ShouldBe(Sentence);

        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_requests_total", ("surface", "openai_chat"), ("provider", provider), ("model", model), ("status", "200")).ShouldBe(3);
        metrics.Value("llm_translations_total", ("from_surface", "openai_chat"), ("to_style", "anthropic")).ShouldBe(translated ? 3 : 0);
        metrics.Sum("llm_errors_total").ShouldBe(0);
    }

    internal const string WeatherArguments = "{\"location\":\"simulated\",\"unit\":\"celsius\"}";

    internal static ChatTool WeatherTool() => ChatTool.CreateFunctionTool(
        "get_weather",
        "The current weather in a city.",
        BinaryData.FromString("""{"type":"object","properties":{"location":{"type":"string"},"unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["location"]}"""));

    [GeneratedRegex("^req_[0-9a-f]{32}$")]
    internal static partial Regex OpenAIRequestId();

    [GeneratedRegex("^req_011C[1-9A-HJ-NP-Za-km-z]{20}$")]
    internal static partial Regex AnthropicRequestId();
}
