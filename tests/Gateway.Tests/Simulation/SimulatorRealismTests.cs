using System.Net;
using System.Text.Json;
using static Metrics.Testing.GatewayHarness.GatewaySettings;

namespace Gateway.Tests.Simulation;

public class SimulatorRealismTests
{
    [Test]
    public async Task Chat_with_n_choices_answers_n_choices_whole_and_streamed_and_bills_each()
    {
        await using var gateway = await TestGateway.StartAsync();
        const string Body = "{\"model\":\"gpt-test\",\"n\":3,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

        using var whole = await gateway.PostAsync("/v1/chat/completions", Body);
        using var completion = JsonDocument.Parse(await whole.Content.ReadAsStringAsync());
        using var streamed = await gateway.PostAsync("/v1/chat/completions", Body.Replace("\"n\":3", "\"n\":3,\"stream\":true", StringComparison.Ordinal));
        var chunks = ClientUsage.DataLines(await streamed.Content.ReadAsStringAsync()).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToArray();

        completion.RootElement.GetProperty("choices").EnumerateArray().Select(choice => choice.GetProperty("index").GetInt32()).ShouldBe([0, 1, 2]);
        completion.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32().ShouldBe(3 * CompletionTokens);
        var finishes = chunks.Select(chunk => chunk.GetProperty("choices")[0]).Where(choice => choice.GetProperty("finish_reason").ValueKind == JsonValueKind.String);
        finishes.Select(choice => choice.GetProperty("index").GetInt32()).ShouldBe([0, 1, 2]);
        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_tokens_total", ("provider", OpenAIPrimary), ("model", GptModel), ("type", "completion")).ShouldBe(2 * 3 * CompletionTokens);
    }

    [Test]
    public async Task Empty_messages_are_a_400_from_the_provider_in_each_apis_words()
    {
        await using var gateway = await TestGateway.StartAsync();

        using var chat = await gateway.PostAsync("/v1/chat/completions", "{\"model\":\"gpt-test\",\"messages\":[]}");
        using var messages = await gateway.PostAsync("/v1/messages", "{\"model\":\"claude-test\",\"max_tokens\":5,\"messages\":[]}");

        chat.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await chat.Content.ReadAsStringAsync()).ShouldBe(
            "{\"error\":{\"message\":\"Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.\",\"type\":\"invalid_request_error\",\"param\":\"messages\",\"code\":\"invalid_request\"}}");
        messages.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await messages.Content.ReadAsStringAsync()).ShouldBe("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"messages: at least one message is required\"}}");
        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_errors_total", ("error_type", "bad_request"), ("provider", OpenAIPrimary)).ShouldBe(1);
        metrics.Value("llm_errors_total", ("error_type", "bad_request"), ("provider", AnthropicPrimary)).ShouldBe(1);
    }

    [Test]
    public async Task Counting_tokens_of_a_model_served_by_openai_style_providers_is_a_400_naming_the_model()
    {
        await using var gateway = await TestGateway.StartAsync();

        using var response = await gateway.PostAsync("/v1/messages/count_tokens", "{\"model\":\"gpt-test\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldBe(
            "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"The field 'model' cannot be translated: counting tokens needs an Anthropic-style provider, and 'gpt-test' is served by an OpenAI-style one, whose API has no such endpoint\"}}");
        (await gateway.ScrapeAsync()).Value("llm_requests_total", ("surface", "anthropic_count_tokens"), ("provider", "none"), ("model", GptModel), ("status", "400")).ShouldBe(1);
    }
}
