using System.Text.Json;
using Anthropic.Models.Messages;
using Gateway.Sdk.Tests.OpenAI;
using Gateway.Sdk.Tests.Support;
using static Metrics.Testing.GatewayHarness.GatewaySettings;

namespace Gateway.Sdk.Tests.Anthropic;

/// <summary>The Anthropic SDK's Messages service against Anthropic-served and (translated) OpenAI-served models.</summary>
public class MessagesSdkTests
{
    private const string Sentence = "This is a simulated answer from the gateway's";

    [TestCase(ClaudeModel, AnthropicPrimary, false)]
    [TestCase(GptModel, OpenAIPrimary, true)]
    public async Task Message_is_answered_whole_with_usage_and_request_id_and_is_counted_once(string model, string provider, bool translated)
    {
        await using var gateway = await TestGateway.StartAsync();
        var client = SdkClients.Anthropic(gateway);

        using var raw = await client.WithRawResponse.Messages.Create(Parameters(model, "Bonjour, ça va ?", system: "Answer in English."));
        var message = await raw.Deserialize();

        message.Content.Single().TryPickText(out var text).ShouldBeTrue();
        text!.Text.ShouldBe(Sentence);
        message.StopReason!.Raw().ShouldBe("end_turn");
        message.Model.Raw().ShouldBe(model);
        message.Usage.OutputTokens.ShouldBe(CompletionTokens);
        message.ID.ShouldStartWith("msg_");
        raw.RequestID.ShouldNotBeNull().ShouldMatch(
            translated ? ChatCompletionsSdkTests.OpenAIRequestId().ToString() : ChatCompletionsSdkTests.AnthropicRequestId().ToString());
        gateway.Logs.All.ShouldContain($"Request {raw.RequestID}: POST /v1/messages answered 200");

        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_requests_total", ("surface", "anthropic_messages"), ("provider", provider), ("model", model), ("status", "200")).ShouldBe(1);
        metrics.Sum("llm_requests_total").ShouldBe(1);
        metrics.Value("llm_tokens_total", ("provider", provider), ("model", model), ("type", "prompt")).ShouldBe(message.Usage.InputTokens);
        metrics.Value("llm_tokens_total", ("provider", provider), ("model", model), ("type", "completion")).ShouldBe(CompletionTokens);
        metrics.Value("llm_translations_total", ("from_surface", "anthropic_messages"), ("to_style", "openai")).ShouldBe(translated ? 1 : 0);
        metrics.Sum("llm_errors_total").ShouldBe(0);
    }

    [TestCase(ClaudeModel, AnthropicPrimary, false)]
    [TestCase(GptModel, OpenAIPrimary, true)]
    public async Task Message_stream_arrives_event_by_event_with_the_final_usage(string model, string provider, bool translated)
    {
        await using var gateway = await TestGateway.StartAsync();
        var client = SdkClients.Anthropic(gateway);

        var text = new System.Text.StringBuilder();
        var kinds = new List<string>();
        long? outputTokens = null;
        long? inputTokens = null;
        string? stopReason = null;
        await foreach (var streamEvent in client.Messages.CreateStreaming(Parameters(model, "Stream something about gauges")))
        {
            kinds.Add(streamEvent.Json.GetProperty("type").GetString()!);
            if (streamEvent.TryPickContentBlockDelta(out var delta) && delta!.Delta.TryPickText(out var textDelta))
            {
                text.Append(textDelta!.Text);
            }
            else if (streamEvent.TryPickDelta(out var messageDelta))
            {
                outputTokens = messageDelta!.Usage.OutputTokens;
                inputTokens = messageDelta.Usage.InputTokens ?? inputTokens;
                stopReason = messageDelta.Delta.StopReason?.Raw();
            }
            else if (streamEvent.TryPickStart(out var start) && !translated)
            {
                inputTokens = start!.Message.Usage.InputTokens;
            }
        }

        text.ToString().ShouldBe(Sentence);
        stopReason.ShouldBe("end_turn");
        outputTokens.ShouldBe(CompletionTokens);
        kinds[0].ShouldBe("message_start");
        kinds[^2..].ShouldBe(["message_delta", "message_stop"]);
        kinds.Count(kind => kind == "content_block_delta").ShouldBe(CompletionTokens);

        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_requests_total", ("surface", "anthropic_messages"), ("provider", provider), ("model", model), ("status", "200")).ShouldBe(1);
        metrics.Value("llm_tokens_total", ("provider", provider), ("model", model), ("type", "prompt")).ShouldBe(inputTokens.ShouldNotBeNull());
        metrics.Value("llm_tokens_total", ("provider", provider), ("model", model), ("type", "completion")).ShouldBe(CompletionTokens);
        metrics.Value("llm_translations_total", ("from_surface", "anthropic_messages"), ("to_style", "openai")).ShouldBe(translated ? 1 : 0);
    }

    [TestCase(ClaudeModel, "toolu_")]
    [TestCase(GptModel, "call_")]
    public async Task Forced_tool_choice_yields_tool_use_whole_and_streamed_and_the_result_goes_back(string model, string idPrefix)
    {
        await using var gateway = await TestGateway.StartAsync();
        var client = SdkClients.Anthropic(gateway);
        var parameters = Parameters(model, "What is the weather in Paris?") with
        {
            Tools = [new Tool { Name = "get_weather", Description = "The current weather in a city.", InputSchema = WeatherSchema() }],
            ToolChoice = new ToolChoiceTool("get_weather"),
        };

        var message = await client.Messages.Create(parameters);

        message.StopReason!.Raw().ShouldBe("tool_use");
        message.Content.Single().TryPickToolUse(out var toolUse).ShouldBeTrue();
        toolUse!.Name.ShouldBe("get_weather");
        toolUse.ID.ShouldStartWith(idPrefix);
        JsonSerializer.Serialize(toolUse.Input).ShouldBe(ChatCompletionsSdkTests.WeatherArguments);

        var partialJson = new System.Text.StringBuilder();
        string? streamedName = null;
        await foreach (var streamEvent in client.Messages.CreateStreaming(parameters))
        {
            if (streamEvent.TryPickContentBlockStart(out var start) && start!.ContentBlock.TryPickToolUse(out var block))
            {
                streamedName = block!.Name;
            }
            else if (streamEvent.TryPickContentBlockDelta(out var delta) && delta!.Delta.TryPickInputJson(out var json))
            {
                partialJson.Append(json!.PartialJson);
            }
        }

        streamedName.ShouldBe("get_weather");
        partialJson.ToString().ShouldBe(ChatCompletionsSdkTests.WeatherArguments);

        var followUp = parameters with
        {
            ToolChoice = null,
            Messages =
            [
                new UserMessageParam("What is the weather in Paris?"),
                new AssistantMessageParam(new List<ContentBlockParam> { new ToolUseBlockParam { ID = toolUse.ID, Name = toolUse.Name, Input = toolUse.Input } }),
                new UserMessageParam(new List<ContentBlockParam> { new ToolResultBlockParam(toolUse.ID) { Content = "{\"temperature\":21}" } }),
            ],
        };
        var answer = await client.Messages.Create(followUp);
        answer.Content.Single().TryPickText(out var text).ShouldBeTrue();
        text!.Text.ShouldBe(Sentence);
        (await gateway.ScrapeAsync()).Sum("llm_errors_total").ShouldBe(0);
    }

    [Test]
    public async Task Count_tokens_reports_the_input_tokens_the_message_then_uses_and_is_counted_without_tokens()
    {
        await using var gateway = await TestGateway.StartAsync();
        var client = SdkClients.Anthropic(gateway);

        var count = await client.Messages.CountTokens(new MessageCountTokensParams
        {
            Model = ClaudeModel,
            Messages = [new UserMessageParam("How many tokens is this?")],
        });
        var message = await client.Messages.Create(Parameters(ClaudeModel, "How many tokens is this?"));

        count.InputTokens.ShouldBe(message.Usage.InputTokens);
        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_requests_total", ("surface", "anthropic_count_tokens"), ("provider", AnthropicPrimary), ("model", ClaudeModel), ("status", "200")).ShouldBe(1);
        metrics.Value("llm_tokens_total", ("provider", AnthropicPrimary), ("model", ClaudeModel), ("type", "prompt")).ShouldBe(message.Usage.InputTokens);
        metrics.Value("llm_account_requests_total", ("account", "alpha")).ShouldBe(2);
    }

    [Test]
    public async Task Models_are_listed_and_retrieved_in_anthropics_shape()
    {
        await using var gateway = await TestGateway.StartAsync();
        var client = SdkClients.Anthropic(gateway);

        var page = await client.Models.List(new global::Anthropic.Models.Models.ModelListParams());
        var model = await client.Models.Retrieve(ClaudeModel, new global::Anthropic.Models.Models.ModelRetrieveParams());

        page.Items.Select(item => item.ID).ShouldBe([ClaudeModel, GptModel]);
        model.ID.ShouldBe(ClaudeModel);
        model.DisplayName.ShouldBe(ClaudeModel);
        var limited = await client.Models.List(new global::Anthropic.Models.Models.ModelListParams { Limit = 1 });
        limited.Items.Select(item => item.ID).ShouldBe([ClaudeModel]);
        var next = await client.Models.List(new global::Anthropic.Models.Models.ModelListParams { Limit = 1, AfterID = ClaudeModel });
        next.Items.Select(item => item.ID).ShouldBe([GptModel]);
    }

    internal static MessageCreateParams Parameters(string model, string prompt, string? system = null, long maxTokens = 256) => system is null
        ? new() { Model = model, MaxTokens = maxTokens, Messages = [new UserMessageParam(prompt)] }
        : new() { Model = model, MaxTokens = maxTokens, Messages = [new UserMessageParam(prompt)], System = system };

    private static InputSchema WeatherSchema() => new()
    {
        Properties = new Dictionary<string, JsonElement>
        {
            ["location"] = JsonDocument.Parse("""{"type":"string"}""").RootElement.Clone(),
            ["unit"] = JsonDocument.Parse("""{"type":"string","enum":["celsius","fahrenheit"]}""").RootElement.Clone(),
        },
        Required = ["location"],
    };
}
