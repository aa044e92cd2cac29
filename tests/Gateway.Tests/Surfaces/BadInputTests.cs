using System.Net;
using System.Net.Http.Headers;
using System.Text;
using static Metrics.Testing.GatewayHarness.GatewaySettings;

namespace Gateway.Tests.Surfaces;

public class BadInputTests
{
    private static readonly object[] InvalidBodies =
    [
        new object[] { "/v1/chat/completions", "{\"model\": \"gpt-test\", \"messages\": [", "openai_chat", "invalid_json", "The request body is not valid JSON: " },
        new object[] { "/v1/chat/completions", "[1, 2]", "openai_chat", "invalid_request", "The request body must be a JSON object." },
        new object[] { "/v1/chat/completions", "{\"messages\": []}", "openai_chat", "invalid_request", "The 'model' field is required and must be a non-empty string." },
        new object[] { "/v1/chat/completions", "{\"model\": 42, \"messages\": []}", "openai_chat", "invalid_request", "The 'model' field is required and must be a non-empty string." },
        new object[] { "/v1/chat/completions", "{\"model\": \"gpt-test\"}", "openai_chat", "invalid_request", "The 'messages' field is required and must be an array." },
        new object[] { "/v1/responses", "{\"model\": \"gpt-test\"}", "openai_responses", "invalid_request", "The 'input' field is required and must be a string or an array." },
    ];

    [TestCaseSource(nameof(InvalidBodies))]
    public async Task Invalid_openai_body_gets_400_in_openai_shape_and_is_counted(string path, string body, string surface, string code, string message)
    {
        await using var gateway = await TestGateway.StartAsync();

        using var response = await gateway.PostAsync(path, body);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var error = await OpenAIErrorAsync(response);
        error.Type.ShouldBe("invalid_request_error");
        error.Code.ShouldBe(code);
        error.Message.ShouldStartWith(message);
        await ShouldBeCountedAsync(gateway, surface, "400");
    }

    [Test]
    public async Task Malformed_json_on_the_messages_api_gets_400_in_anthropic_shape()
    {
        await using var gateway = await TestGateway.StartAsync();

        using var response = await gateway.PostAsync("/v1/messages", "{\"model\": ");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var body = await response.Content.ReadAsStringAsync();
        body.ShouldStartWith("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"The request body is not valid JSON: ");
        await ShouldBeCountedAsync(gateway, "anthropic_messages", "400");
    }

    [Test]
    public async Task Missing_messages_on_the_messages_api_gets_400_in_anthropic_shape()
    {
        await using var gateway = await TestGateway.StartAsync();

        using var response = await gateway.PostAsync("/v1/messages", "{\"model\": \"claude-test\", \"max_tokens\": 10}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldBe(
            "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"The 'messages' field is required and must be an array.\"}}");
        await ShouldBeCountedAsync(gateway, "anthropic_messages", "400");
    }

    [Test]
    public async Task Unknown_model_gets_404_and_is_counted_without_a_model_label_from_the_request()
    {
        await using var gateway = await TestGateway.StartAsync();

        using var response = await gateway.PostAsync("/v1/chat/completions", Requests.Chat("gpt-imaginary", "hello"));

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).ShouldBe(
            "{\"error\":{\"message\":\"The model 'gpt-imaginary' does not exist on this gateway; GET /v1/models lists the models it serves.\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"model_not_found\"}}");
        await ShouldBeCountedAsync(gateway, "openai_chat", "404");
        (await gateway.ScrapeTextAsync()).ShouldNotContain("gpt-imaginary");
    }

    [Test]
    public async Task Unknown_model_on_the_messages_api_gets_404_as_not_found_error()
    {
        await using var gateway = await TestGateway.StartAsync();

        using var response = await gateway.PostAsync("/v1/messages", Requests.Messages("claude-imaginary", "hello"));

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).ShouldStartWith("{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"The model 'claude-imaginary' does not exist");
    }

    [Test]
    public async Task Messages_without_max_tokens_are_refused_by_the_provider_as_anthropic_does_and_relayed()
    {
        await using var gateway = await TestGateway.StartAsync();

        using var response = await gateway.PostAsync("/v1/messages", "{\"model\":\"claude-test\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldBe("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"max_tokens: Field required\"}}");
        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_requests_total", ("surface", "anthropic_messages"), ("provider", AnthropicPrimary), ("model", ClaudeModel), ("status", "400")).ShouldBe(1);
        metrics.Value("llm_errors_total", ("error_type", "bad_request"), ("provider", AnthropicPrimary)).ShouldBe(1);
        metrics.Sum("llm_failovers_total").ShouldBe(0);
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task Body_over_the_configured_limit_gets_413_whether_or_not_it_declares_its_length(bool declaresLength)
    {
        await using var gateway = await TestGateway.StartAsync(settings => settings.Set("Gateway:MaxRequestBodyBytes", "2048"));
        var body = Encoding.UTF8.GetBytes(Requests.Chat(GptModel, new string('x', 3000)));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = declaresLength ? new ByteArrayContent(body) : new StreamContent(new UnseekableStream(body)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestKeys.Alpha);

        using var response = await gateway.Client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (await response.Content.ReadAsStringAsync()).ShouldBe(
            "{\"error\":{\"message\":\"The request body is larger than the gateway's limit of 2048 bytes.\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"request_too_large\"}}");
        await ShouldBeCountedAsync(gateway, "openai_chat", "413");
    }

    [Test]
    public async Task Body_at_the_limit_is_accepted()
    {
        var body = Requests.Chat(GptModel, "hi");
        await using var gateway = await TestGateway.StartAsync(settings => settings.Set("Gateway:MaxRequestBodyBytes", Encoding.UTF8.GetByteCount(body).ToString(System.Globalization.CultureInfo.InvariantCulture)));

        using var response = await gateway.PostAsync("/v1/chat/completions", body);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [TestCase("/v1/chat/completions", null, "openai_chat", "{\"error\":{\"message\":\"Missing API key. Send it as 'Authorization: Bearer <key>' or 'x-api-key: <key>'.\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}")]
    [TestCase("/v1/responses", "not-a-key", "openai_responses", "{\"error\":{\"message\":\"Invalid API key.\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}")]
    [TestCase("/v1/messages", null, "anthropic_messages", "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"Missing API key. Send it as 'Authorization: Bearer <key>' or 'x-api-key: <key>'.\"}}")]
    [TestCase("/v1/messages", "not-a-key", "anthropic_messages", "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"Invalid API key.\"}}")]
    public async Task Missing_or_invalid_key_gets_401_in_the_apis_shape_and_is_counted(string path, string? key, string surface, string expected)
    {
        await using var gateway = await TestGateway.StartAsync();

        using var response = await gateway.PostAsync(path, Requests.Chat(GptModel, "hello"), key);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer");
        (await response.Content.ReadAsStringAsync()).ShouldBe(expected);
        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_requests_total", ("surface", surface), ("provider", "none"), ("model", "none"), ("status", "401")).ShouldBe(1);
        metrics.Sum("llm_account_requests_total").ShouldBe(0);
        metrics.Sum("llm_errors_total").ShouldBe(0);
    }

    private static async Task ShouldBeCountedAsync(TestGateway gateway, string surface, string status)
    {
        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_requests_total", ("surface", surface), ("provider", "none"), ("model", "none"), ("status", status)).ShouldBe(1);
        metrics.Value("llm_errors_total", ("error_type", "bad_request"), ("provider", "none")).ShouldBe(1);
        metrics.Value("llm_account_requests_total", ("account", "alpha")).ShouldBe(1);
        metrics.Sum("llm_requests_total").ShouldBe(1);
        metrics.Sum("llm_errors_total").ShouldBe(1);
    }

    private static async Task<(string Message, string Type, string? Code)> OpenAIErrorAsync(HttpResponseMessage response)
    {
        using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = body.RootElement.GetProperty("error");
        return (error.GetProperty("message").GetString()!, error.GetProperty("type").GetString()!, error.GetProperty("code").GetString());
    }

    // A body whose length HttpClient cannot know, so it goes out chunked, without Content-Length.
    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
