using System.Net;
using System.Text.Json;
using static Metrics.Testing.GatewayHarness.GatewaySettings;

namespace Gateway.Tests.Surfaces;

public class MixedTrafficTests
{
    // The simulated answer's first CompletionTokens (8) words, one token each.
    private const string Sentence = "This is a simulated answer from the gateway's";

    [Test]
    public async Task Mixed_sequence_across_three_surfaces_streaming_and_not_is_counted_exactly_in_metrics_and_stats()
    {
        await using var gateway = await TestGateway.StartAsync();
        (string Path, string Body, bool Stream, string Key)[] calls =
        [
            ("/v1/chat/completions", Requests.Chat(GptModel, "Hello there"), false, TestKeys.Alpha),
            ("/v1/chat/completions", Requests.Chat(GptModel, "Stream me a short answer, please", stream: true, includeUsage: true), true, TestKeys.Alpha),
            ("/v1/responses", Requests.Responses(GptModel, "What is a histogram?"), false, TestKeys.Beta),
            ("/v1/responses", Requests.Responses(GptModel, "Stream the answer about counters", stream: true), true, TestKeys.Alpha),
            ("/v1/messages", Requests.Messages(ClaudeModel, "Bonjour, ça va ?"), false, TestKeys.Beta),
            ("/v1/messages", Requests.Messages(ClaudeModel, "Stream something about gauges", stream: true), true, TestKeys.Beta),
            ("/v1/chat/completions", Requests.Chat(GptModel, "Two tokens only", maxTokens: 2), false, TestKeys.Alpha),
        ];

        var usage = new Dictionary<string, (long Prompt, long Completion)>();
        long streamedBytes = 0;
        foreach (var (path, body, stream, key) in calls)
        {
            using var response = await gateway.PostAsync(path, body, key);
            var text = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
            response.Headers.GetValues("x-gateway-provider").Single().ShouldBe(path == "/v1/messages" ? AnthropicPrimary : OpenAIPrimary);
            response.Content.Headers.ContentType!.MediaType.ShouldBe(stream ? "text/event-stream" : "application/json");
            if (stream)
            {
                streamedBytes += (await response.Content.ReadAsByteArrayAsync()).Length;
                ClientUsage.StreamedText(text).ShouldBe(Sentence);
            }

            var (prompt, completion) = ClientUsage.Of(text, stream);
            var account = key == TestKeys.Alpha ? "alpha" : "beta";
            var model = path == "/v1/messages" ? ClaudeModel : GptModel;
            foreach (var owner in new[] { account, model })
            {
                usage[owner] = usage.TryGetValue(owner, out var sum) ? (sum.Prompt + prompt, sum.Completion + completion) : (prompt, completion);
            }
        }

        usage[GptModel].Completion.ShouldBe((4 * CompletionTokens) + 2);
        usage[ClaudeModel].Completion.ShouldBe(2 * CompletionTokens);

        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_requests_total", ("surface", "openai_chat"), ("provider", OpenAIPrimary), ("model", GptModel), ("status", "200")).ShouldBe(3);
        metrics.Value("llm_requests_total", ("surface", "openai_responses"), ("provider", OpenAIPrimary), ("model", GptModel), ("status", "200")).ShouldBe(2);
        metrics.Value("llm_requests_total", ("surface", "anthropic_messages"), ("provider", AnthropicPrimary), ("model", ClaudeModel), ("status", "200")).ShouldBe(2);
        metrics.Sum("llm_requests_total").ShouldBe(7);
        metrics.Value("llm_request_duration_seconds_count", ("provider", OpenAIPrimary), ("model", GptModel)).ShouldBe(5);
        metrics.Value("llm_request_duration_seconds_count", ("provider", AnthropicPrimary), ("model", ClaudeModel)).ShouldBe(2);
        metrics.Value("llm_request_duration_seconds_count", ("provider", OpenAISecondary), ("model", GptModel)).ShouldBe(0);
        metrics.Value("llm_time_to_first_token_seconds_count", ("provider", OpenAIPrimary), ("model", GptModel)).ShouldBe(2);
        metrics.Value("llm_time_to_first_token_seconds_count", ("provider", AnthropicPrimary), ("model", ClaudeModel)).ShouldBe(1);
        metrics.Value("llm_tokens_total", ("provider", OpenAIPrimary), ("model", GptModel), ("type", "prompt")).ShouldBe(usage[GptModel].Prompt);
        metrics.Value("llm_tokens_total", ("provider", OpenAIPrimary), ("model", GptModel), ("type", "completion")).ShouldBe(usage[GptModel].Completion);
        metrics.Value("llm_tokens_total", ("provider", AnthropicPrimary), ("model", ClaudeModel), ("type", "prompt")).ShouldBe(usage[ClaudeModel].Prompt);
        metrics.Value("llm_tokens_total", ("provider", AnthropicPrimary), ("model", ClaudeModel), ("type", "completion")).ShouldBe(usage[ClaudeModel].Completion);
        metrics.Value("llm_account_requests_total", ("account", "alpha")).ShouldBe(4);
        metrics.Value("llm_account_requests_total", ("account", "beta")).ShouldBe(3);
        metrics.Value("llm_account_tokens_total", ("account", "alpha"), ("type", "prompt")).ShouldBe(usage["alpha"].Prompt);
        metrics.Value("llm_account_tokens_total", ("account", "beta"), ("type", "completion")).ShouldBe(usage["beta"].Completion);
        metrics.Value("llm_stream_bytes_total", ("direction", "in")).ShouldBe(streamedBytes);
        metrics.Value("llm_stream_bytes_total", ("direction", "out")).ShouldBe(streamedBytes);
        metrics.Sum("llm_errors_total").ShouldBe(0);
        metrics.Sum("llm_retries_total").ShouldBe(0);
        metrics.Sum("llm_failovers_total").ShouldBe(0);
        metrics.Value("llm_backends").ShouldBe(4);

        var stats = await gateway.ManagementJsonAsync("/v1/stats");
        var requests = stats.GetProperty("requests");
        requests.GetProperty("total").GetInt64().ShouldBe(7);
        requests.GetProperty("success").GetInt64().ShouldBe(7);
        requests.GetProperty("errors").GetInt64().ShouldBe(0);
        requests.GetProperty("error_rate").GetDouble().ShouldBe(0);
        var primary = Entry(stats, "backends", "id", OpenAIPrimary);
        primary.GetProperty("requests").GetInt64().ShouldBe(5);
        primary.GetProperty("circuit_state").GetString().ShouldBe("closed");
        primary.GetProperty("p50_latency_ms").ValueKind.ShouldBe(JsonValueKind.Number);
        primary.GetProperty("p95_latency_ms").ValueKind.ShouldBe(JsonValueKind.Number);
        Entry(stats, "backends", "id", OpenAISecondary).GetProperty("p50_latency_ms").ValueKind.ShouldBe(JsonValueKind.Null);
        Entry(stats, "backends", "id", AnthropicPrimary).GetProperty("requests").GetInt64().ShouldBe(2);
        var gpt = Entry(stats, "models", "name", GptModel);
        gpt.GetProperty("requests").GetInt64().ShouldBe(5);
        gpt.GetProperty("prompt_tokens").GetInt64().ShouldBe(usage[GptModel].Prompt);
        gpt.GetProperty("completion_tokens").GetInt64().ShouldBe(usage[GptModel].Completion);
        Entry(stats, "models", "name", ClaudeModel).GetProperty("completion_tokens").GetInt64().ShouldBe(usage[ClaudeModel].Completion);

        var accounts = await gateway.ManagementJsonAsync("/v1/accounts");
        var alpha = Entry(accounts, "accounts", "name", "alpha");
        alpha.GetProperty("requests").GetInt64().ShouldBe(4);
        alpha.GetProperty("prompt_tokens").GetInt64().ShouldBe(usage["alpha"].Prompt);
        alpha.GetProperty("completion_tokens").GetInt64().ShouldBe(usage["alpha"].Completion);
        Entry(accounts, "accounts", "name", "beta").GetProperty("requests").GetInt64().ShouldBe(3);
    }

    [Test]
    public async Task Simulated_usage_is_computed_from_the_input_and_reported_in_each_apis_shape()
    {
        await using var gateway = await TestGateway.StartAsync();
        const string Prompt = "abcdefghij";

        using var chat = await gateway.PostAsync("/v1/chat/completions", Requests.Chat(GptModel, Prompt));
        using var chatUsage = JsonDocument.Parse(await chat.Content.ReadAsStringAsync());
        var usage = chatUsage.RootElement.GetProperty("usage");
        // 3 + ceil(len("user") / 4) + ceil(len("abcdefghij") / 4) = 3 + 1 + 3.
        usage.GetProperty("prompt_tokens").GetInt32().ShouldBe(7);
        usage.GetProperty("completion_tokens").GetInt32().ShouldBe(CompletionTokens);
        usage.GetProperty("total_tokens").GetInt32().ShouldBe(7 + CompletionTokens);

        using var responses = await gateway.PostAsync("/v1/responses", Requests.Responses(GptModel, Prompt));
        using var responsesBody = JsonDocument.Parse(await responses.Content.ReadAsStringAsync());
        responsesBody.RootElement.GetProperty("usage").GetProperty("input_tokens").GetInt32().ShouldBe(6);
        responsesBody.RootElement.GetProperty("usage").GetProperty("output_tokens").GetInt32().ShouldBe(CompletionTokens);

        using var messages = await gateway.PostAsync("/v1/messages", Requests.Messages(ClaudeModel, Prompt, stream: true, maxTokens: 3));
        var events = await messages.Content.ReadAsStringAsync();
        events.ShouldContain("\"usage\":{\"input_tokens\":7,\"output_tokens\":1}");
        events.ShouldContain("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"max_tokens\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":3}}\n\n");

        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_tokens_total", ("provider", OpenAIPrimary), ("model", GptModel), ("type", "prompt")).ShouldBe(7 + 6);
        metrics.Value("llm_tokens_total", ("provider", OpenAIPrimary), ("model", GptModel), ("type", "completion")).ShouldBe(2 * CompletionTokens);
        metrics.Value("llm_tokens_total", ("provider", AnthropicPrimary), ("model", ClaudeModel), ("type", "prompt")).ShouldBe(7);
        metrics.Value("llm_tokens_total", ("provider", AnthropicPrimary), ("model", ClaudeModel), ("type", "completion")).ShouldBe(3);
    }

    [Test]
    public async Task Streaming_chat_counts_usage_it_asked_for_without_showing_it_to_a_client_that_did_not()
    {
        await using var gateway = await TestGateway.StartAsync();

        using var response = await gateway.PostAsync("/v1/chat/completions", Requests.Chat(GptModel, "count me", stream: true));
        var body = await response.Content.ReadAsStringAsync();

        body.ShouldNotContain("\"usage\"");
        ClientUsage.DataLines(body).ShouldAllBe(line => !line.Contains("\"choices\":[]", StringComparison.Ordinal));
        ClientUsage.StreamedText(body).ShouldBe(Sentence);
        body.ShouldEndWith("data: [DONE]\n\n");
        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_tokens_total", ("provider", OpenAIPrimary), ("model", GptModel), ("type", "prompt")).ShouldBe(6);
        metrics.Value("llm_tokens_total", ("provider", OpenAIPrimary), ("model", GptModel), ("type", "completion")).ShouldBe(CompletionTokens);
        metrics.Value("llm_stream_bytes_total", ("direction", "out")).ShouldBe(System.Text.Encoding.UTF8.GetByteCount(body));
        metrics.Value("llm_stream_bytes_total", ("direction", "in")).ShouldBeGreaterThan(System.Text.Encoding.UTF8.GetByteCount(body));
    }

    [Test]
    public async Task Streaming_chat_that_asks_for_usage_gets_the_usage_chunk_as_openai_sends_it()
    {
        await using var gateway = await TestGateway.StartAsync();

        using var response = await gateway.PostAsync("/v1/chat/completions", Requests.Chat(GptModel, "count me", stream: true, includeUsage: true));
        var body = await response.Content.ReadAsStringAsync();

        var lines = ClientUsage.DataLines(body).ToArray();
        lines[^1].ShouldContain("\"choices\":[],\"usage\":{\"prompt_tokens\":6,\"completion_tokens\":8,\"total_tokens\":14}");
        lines[..^1].ShouldAllBe(line => line.EndsWith(",\"usage\":null}", StringComparison.Ordinal));
        body.ShouldEndWith("data: [DONE]\n\n");
    }

    [Test]
    public async Task Model_list_names_every_configured_model_in_openai_or_anthropic_shape()
    {
        await using var gateway = await TestGateway.StartAsync();

        var openAI = await gateway.GetJsonAsync("/v1/models", TestKeys.Alpha);
        openAI.GetProperty("object").GetString().ShouldBe("list");
        openAI.GetProperty("data").EnumerateArray().Select(model => model.GetProperty("id").GetString()).ShouldBe([ClaudeModel, GptModel]);
        openAI.GetProperty("data")[1].GetProperty("owned_by").GetString().ShouldBe(OpenAIPrimary);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        request.Headers.Add("x-api-key", TestKeys.Alpha);
        request.Headers.Add("anthropic-version", "2023-06-01");
        using var response = await gateway.Client.SendAsync(request);
        using var anthropic = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        anthropic.RootElement.GetProperty("data")[0].GetProperty("type").GetString().ShouldBe("model");
        anthropic.RootElement.GetProperty("first_id").GetString().ShouldBe(ClaudeModel);
        anthropic.RootElement.GetProperty("last_id").GetString().ShouldBe(GptModel);
        anthropic.RootElement.GetProperty("has_more").GetBoolean().ShouldBeFalse();
    }

    private static JsonElement Entry(JsonElement root, string list, string key, string value) =>
        root.GetProperty(list).EnumerateArray().Single(item => item.GetProperty(key).GetString() == value);
}
