using Gateway.Sdk.Tests.Support;
using OpenAI.Responses;
using static Metrics.Testing.GatewayHarness.GatewaySettings;

namespace Gateway.Sdk.Tests.OpenAI;

/// <summary>The OpenAI SDK's <see cref="ResponsesClient"/> against OpenAI-served and (translated) Anthropic-served models.</summary>
public class ResponsesSdkTests
{
    private const string Sentence = "This is a simulated answer from the gateway's";

    [TestCase(GptModel, OpenAIPrimary, false)]
    [TestCase(ClaudeModel, AnthropicPrimary, true)]
    public async Task Response_is_completed_whole_and_streamed_with_usage_and_is_counted(string model, string provider, bool translated)
    {
        await using var gateway = await TestGateway.StartAsync();
        var client = SdkClients.Responses(gateway);

        var result = await client.CreateResponseAsync(Options(model, "What is a histogram?", instructions: "Answer briefly."));
        var response = result.Value;
        response.Status.ShouldBe(ResponseStatus.Completed);
        response.GetOutputText().ShouldBe(Sentence);
        response.Usage.OutputTokenCount.ShouldBe(CompletionTokens);
        response.Model.ShouldBe(model);
        result.GetRawResponse().Headers.TryGetValue("x-request-id", out var requestId).ShouldBeTrue();
        requestId.ShouldNotBeNull().ShouldStartWith("req_");

        var text = new System.Text.StringBuilder();
        ResponseResult? completed = null;
        var options = Options(model, "Stream the answer about counters");
        options.StreamingEnabled = true;
        await foreach (var update in await client.CreateResponseStreamingAsync(options))
        {
            switch (update)
            {
                case StreamingResponseOutputTextDeltaUpdate delta:
                    text.Append(delta.Delta);
                    break;
                case StreamingResponseCompletedUpdate done:
                    completed = done.Response;
                    break;
            }
        }

        text.ToString().ShouldBe(Sentence);
        completed.ShouldNotBeNull().Status.ShouldBe(ResponseStatus.Completed);
        completed.GetOutputText().ShouldBe(Sentence);

        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_requests_total", ("surface", "openai_responses"), ("provider", provider), ("model", model), ("status", "200")).ShouldBe(2);
        metrics.Value("llm_tokens_total", ("provider", provider), ("model", model), ("type", "prompt")).ShouldBe(response.Usage.InputTokenCount + completed.Usage.InputTokenCount);
        metrics.Value("llm_tokens_total", ("provider", provider), ("model", model), ("type", "completion")).ShouldBe(2 * CompletionTokens);
        metrics.Value("llm_translations_total", ("from_surface", "openai_responses"), ("to_style", "anthropic")).ShouldBe(translated ? 2 : 0);
        metrics.Sum("llm_errors_total").ShouldBe(0);
    }

    [TestCase(GptModel)]
    [TestCase(ClaudeModel)]
    public async Task Reaching_max_output_tokens_makes_the_response_incomplete_with_its_reason(string model)
    {
        await using var gateway = await TestGateway.StartAsync();
        var client = SdkClients.Responses(gateway);
        var options = Options(model, "Tell me everything");
        options.MaxOutputTokenCount = 3;

        var response = (await client.CreateResponseAsync(options)).Value;

        response.Status.ShouldBe(ResponseStatus.Incomplete);
        response.IncompleteStatusDetails.Reason.ShouldBe(ResponseIncompleteStatusReason.MaxOutputTokens);
        response.GetOutputText().ShouldBe("This is a");
        response.Usage.OutputTokenCount.ShouldBe(3);

        options.StreamingEnabled = true;
        ResponseResult? incomplete = null;
        await foreach (var update in await client.CreateResponseStreamingAsync(options))
        {
            if (update is StreamingResponseIncompleteUpdate done)
            {
                incomplete = done.Response;
            }
        }

        incomplete.ShouldNotBeNull().IncompleteStatusDetails.Reason.ShouldBe(ResponseIncompleteStatusReason.MaxOutputTokens);
        var metrics = await gateway.ScrapeAsync();
        metrics.Sum("llm_requests_total").ShouldBe(2);
        metrics.Value("llm_tokens_total", ("provider", model == GptModel ? OpenAIPrimary : AnthropicPrimary), ("model", model), ("type", "completion")).ShouldBe(6);
    }

    [TestCase(GptModel, "call_")]
    [TestCase(ClaudeModel, "toolu_")]
    public async Task Required_tool_choice_yields_a_function_call_whole_and_streamed_and_its_output_goes_back(string model, string callIdPrefix)
    {
        await using var gateway = await TestGateway.StartAsync();
        var client = SdkClients.Responses(gateway);
        var options = Options(model, "What is the weather in Paris?");
        options.Tools.Add(WeatherTool());
        options.ToolChoice = ResponseToolChoice.CreateRequiredChoice();

        var response = (await client.CreateResponseAsync(options)).Value;

        var call = response.OutputItems.OfType<FunctionCallResponseItem>().Single();
        call.FunctionName.ShouldBe("get_weather");
        call.FunctionArguments.ToString().ShouldBe(ChatCompletionsSdkTests.WeatherArguments);
        call.CallId.ShouldStartWith(callIdPrefix);

        options.StreamingEnabled = true;
        var arguments = new System.Text.StringBuilder();
        StreamingResponseFunctionCallArgumentsDoneUpdate? argumentsDone = null;
        await foreach (var update in await client.CreateResponseStreamingAsync(options))
        {
            switch (update)
            {
                case StreamingResponseFunctionCallArgumentsDeltaUpdate delta:
                    arguments.Append(delta.Delta.ToString());
                    break;
                case StreamingResponseFunctionCallArgumentsDoneUpdate done:
                    argumentsDone = done;
                    break;
            }
        }

        arguments.ToString().ShouldBe(ChatCompletionsSdkTests.WeatherArguments);
        argumentsDone.ShouldNotBeNull().FunctionArguments.ToString().ShouldBe(ChatCompletionsSdkTests.WeatherArguments);

        var followUp = new CreateResponseOptions(model, [
            ResponseItem.CreateUserMessageItem("What is the weather in Paris?"),
            ResponseItem.CreateFunctionCallItem(call.CallId, call.FunctionName, call.FunctionArguments),
            ResponseItem.CreateFunctionCallOutputItem(call.CallId, "{\"temperature\":21}"),
        ]);
        followUp.Tools.Add(WeatherTool());
        (await client.CreateResponseAsync(followUp)).Value.GetOutputText().ShouldBe(Sentence);
        (await gateway.ScrapeAsync()).Sum("llm_errors_total").ShouldBe(0);
    }

    private static CreateResponseOptions Options(string model, string input, string? instructions = null) =>
        new(model, [ResponseItem.CreateUserMessageItem(input)]) { Instructions = instructions };

    private static FunctionTool WeatherTool() => ResponseTool.CreateFunctionTool(
        "get_weather",
        BinaryData.FromString("""{"type":"object","properties":{"location":{"type":"string"},"unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["location"]}"""),
        strictModeEnabled: false,
        "The current weather in a city.");
}
