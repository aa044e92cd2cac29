using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using static Metrics.Testing.GatewayHarness.GatewaySettings;

namespace Gateway.Tests.Surfaces;

public class RequestIdTests
{
    private const string Provider = "real-provider";
    private const string OpenAIIdPattern = "^req_[0-9a-f]{32}$";
    private const string AnthropicIdPattern = "^req_011C[1-9A-HJ-NP-Za-km-z]{20}$";
    private const string NotJson = "The Content-Type 'text/plain' is not JSON; send the body with 'Content-Type: application/json'.";
    private const string StreamRule = "The 'stream' field must be true or false.";

    // The gateway's strict input checks refuse each of these before any provider is asked; the refusal must still
    // carry a request id in the client's API style, and come in that API's error shape.
    private static readonly object[] StrictInputRefusals =
    [
        new object[] { "/v1/messages", "text/plain", 415, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"" + NotJson + "\"}}" },
        new object[] { "/v1/messages", "invalid-utf8", 400, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"" + InvalidUtf8Message + "\"}}" },
        new object[] { "/v1/messages", "stream-yes", 400, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"" + StreamRule + "\"}}" },
        new object[] { "/v1/messages/count_tokens", "text/plain", 415, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"" + NotJson + "\"}}" },
        new object[] { "/v1/messages/count_tokens", "invalid-utf8", 400, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"" + InvalidUtf8Message + "\"}}" },
        new object[] { "/v1/chat/completions", "text/plain", 415, "{\"error\":{\"message\":\"" + NotJson + "\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"unsupported_media_type\"}}" },
        new object[] { "/v1/chat/completions", "stream-yes", 400, "{\"error\":{\"message\":\"" + StreamRule + "\",\"type\":\"invalid_request_error\",\"param\":\"stream\",\"code\":\"invalid_request\"}}" },
        new object[] { "/v1/responses", "invalid-utf8", 400, "{\"error\":{\"message\":\"" + InvalidUtf8Message + "\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_json\"}}" },
    ];

    // Every body below puts the invalid byte at offset 9: {"model":<0xff>...
    private const string InvalidUtf8Message = "The request body is not valid UTF-8: the byte at offset 9 does not start or continue a character.";

    [Test]
    public async Task Provider_request_id_reaches_the_client_under_its_apis_header_and_is_logged()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(async context =>
        {
            context.Response.Headers["x-request-id"] = "req_from_the_provider_0001";
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}");
        });
        await using var gateway = await TestGateway.StartAsync(settings => settings.RealProvider(Provider, "OpenAI", upstream.BaseUri, TestKeys.Upstream).Model("gpt-real", Provider));

        using var response = await gateway.PostAsync("/v1/chat/completions", Requests.Chat("gpt-real", "hi"));

        response.Headers.GetValues("x-request-id").Single().ShouldBe("req_from_the_provider_0001");
        response.Headers.Contains("request-id").ShouldBeFalse();
        var line = gateway.Logs.AtLeast(LogLevel.Information).Single(entry => entry.Message.StartsWith("Request req_from_the_provider_0001: ", StringComparison.Ordinal));
        line.Level.ShouldBe(LogLevel.Information);
        line.Message.ShouldContain("POST /v1/chat/completions answered 200");
        line.Message.ShouldContain("account alpha, model gpt-real, provider real-provider, gateway id req_");
    }

    [Test]
    public async Task Anthropic_providers_request_id_reaches_a_translated_openai_client_as_x_request_id()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(async context =>
        {
            context.Response.Headers["request-id"] = "req_011CProviderIdForTranslation";
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(
                "{\"id\":\"msg_01\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-real\",\"content\":[{\"type\":\"text\",\"text\":\"Hello\"}],"
                + "\"stop_reason\":\"max_tokens\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":4,\"cache_read_input_tokens\":3,\"output_tokens\":2}}");
        });
        await using var gateway = await TestGateway.StartAsync(settings => settings.RealProvider(Provider, "Anthropic", upstream.BaseUri, TestKeys.Upstream).Model("claude-real", Provider));

        using var response = await gateway.PostAsync("/v1/chat/completions", Requests.Chat("claude-real", "hi"));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        response.Headers.GetValues("x-request-id").Single().ShouldBe("req_011CProviderIdForTranslation");
        response.Headers.Contains("request-id").ShouldBeFalse();
        var root = body.RootElement;
        root.GetProperty("id").GetString().ShouldBe("chatcmpl-01");
        root.GetProperty("choices")[0].GetProperty("finish_reason").GetString().ShouldBe("length");
        root.GetProperty("usage").GetProperty("prompt_tokens").GetInt32().ShouldBe(7);
        root.GetProperty("usage").GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32().ShouldBe(3);
        var forwarded = upstream.Requests.Single();
        forwarded.Path.ShouldBe("/v1/messages");
        forwarded.ApiKey.ShouldBe(TestKeys.Upstream);
        forwarded.Body.ShouldBe("{\"model\":\"claude-real\",\"max_tokens\":4096,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}]}");
        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_tokens_total", ("provider", Provider), ("model", "claude-real"), ("type", "prompt")).ShouldBe(7);
    }

    [TestCase("/v1/chat/completions", "x-request-id", OpenAIIdPattern)]
    [TestCase("/v1/messages", "request-id", AnthropicIdPattern)]
    public async Task Gateways_own_refusal_carries_a_request_id_in_the_apis_style_and_logs_it_at_debug(string path, string header, string pattern)
    {
        await using var gateway = await TestGateway.StartAsync(settings => settings.LogLevel = LogLevel.Debug);

        using var response = await gateway.PostAsync(path, Requests.Chat(GptModel, "hi"), key: "wrong-key");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var id = response.Headers.GetValues(header).Single();
        id.ShouldMatch(pattern);
        // A refusal at the door is anyone's to send, as fast as they like: Debug, never Information (see AuthenticationLogTests).
        var line = gateway.Logs.AtLeast(LogLevel.Trace).Single(entry => entry.Message.StartsWith($"Request {id}: ", StringComparison.Ordinal));
        line.Level.ShouldBe(LogLevel.Debug);
        line.Message.ShouldContain($"POST {path} answered 401");
    }

    [TestCaseSource(nameof(StrictInputRefusals))]
    public async Task Strict_input_refusal_carries_a_request_id_in_the_clients_style_and_comes_in_its_apis_shape(string path, string fault, int status, string expectedBody)
    {
        await using var gateway = await TestGateway.StartAsync();
        var anthropic = path.StartsWith("/v1/messages", StringComparison.Ordinal);
        var valid = anthropic ? Requests.Messages(ClaudeModel, "hi") : path == "/v1/responses" ? Requests.Responses(GptModel, "hi") : Requests.Chat(GptModel, "hi");
        byte[] body = fault switch
        {
            "invalid-utf8" => [.. "{\"model\":"u8, 0xff, .. Encoding.UTF8.GetBytes(valid[9..])],
            "stream-yes" => Encoding.UTF8.GetBytes(valid.Replace("\"stream\":false", "\"stream\":\"yes\"", StringComparison.Ordinal)),
            _ => Encoding.UTF8.GetBytes(valid),
        };

        using var response = await gateway.PostBytesAsync(path, body, fault == "text/plain" ? "text/plain" : "application/json");

        ((int)response.StatusCode).ShouldBe(status);
        (await response.Content.ReadAsStringAsync()).ShouldBe(expectedBody);
        var id = response.Headers.GetValues(anthropic ? "request-id" : "x-request-id").Single();
        id.ShouldMatch(anthropic ? AnthropicIdPattern : OpenAIIdPattern);
        response.Headers.Contains(anthropic ? "x-request-id" : "request-id").ShouldBeFalse();
        // The tenant was admitted, so the refusal is an ordinary call in the access log, findable by the id.
        gateway.Logs.AtLeast(LogLevel.Information)
            .ShouldContain(entry => entry.Message.StartsWith($"Request {id}: POST {path} answered {status} in ", StringComparison.Ordinal));
    }

    [Test]
    public async Task Body_over_the_size_limit_is_413_with_a_request_id_in_the_anthropic_shape()
    {
        await using var gateway = await TestGateway.StartAsync(settings => settings.Set("Gateway:MaxRequestBodyBytes", "1024"));

        using var response = await gateway.PostBytesAsync("/v1/messages", Encoding.UTF8.GetBytes(Requests.Messages(ClaudeModel, new string('x', 2048))), "application/json");

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (await response.Content.ReadAsStringAsync()).ShouldBe(
            "{\"type\":\"error\",\"error\":{\"type\":\"request_too_large\",\"message\":\"The request body is larger than the gateway's limit of 1024 bytes.\"}}");
        response.Headers.GetValues("request-id").Single().ShouldMatch(AnthropicIdPattern);
        response.Headers.Contains("x-request-id").ShouldBeFalse();
    }

    [Test]
    public async Task Rate_limited_call_carries_a_request_id_in_its_apis_shape_and_logs_only_at_debug()
    {
        const string Key = "test-key-one-a-minute-5d1e";
        await using var gateway = await TestGateway.StartAsync(settings =>
        {
            settings.LogLevel = LogLevel.Debug;
            settings.Account("tiny", Key, requestsPerMinute: 1, burst: 1);
        });

        using var first = await gateway.PostAsync("/v1/messages", Requests.Messages(ClaudeModel, "hi"), Key);
        using var second = await gateway.PostAsync("/v1/messages", Requests.Messages(ClaudeModel, "hi"), Key);

        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        second.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        (await second.Content.ReadAsStringAsync()).ShouldStartWith("{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Rate limit exceeded for account 'tiny'.");
        var id = second.Headers.GetValues("request-id").Single();
        id.ShouldMatch(AnthropicIdPattern);
        second.Headers.Contains("x-request-id").ShouldBeFalse();
        var line = gateway.Logs.AtLeast(LogLevel.Trace).Single(entry => entry.Message.StartsWith($"Request {id}: ", StringComparison.Ordinal));
        line.Level.ShouldBe(LogLevel.Debug);
        line.Message.ShouldContain("POST /v1/messages answered 429 in ");
        line.Message.ShouldContain("(account tiny, model none, provider none, gateway id " + id + ")");
    }

    [TestCase("anthropic-version", true)]
    [TestCase("x-api-key", true)]
    [TestCase("Authorization", false)]
    public async Task Model_list_refusal_comes_in_the_callers_api_shape(string header, bool anthropic)
    {
        await using var gateway = await TestGateway.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        if (header == "Authorization")
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "wrong-key");
        }
        else
        {
            request.Headers.Add("x-api-key", "wrong-key");
            request.Headers.Add(header, header == "x-api-key" ? "wrong-key" : "2023-06-01");
        }

        using var response = await gateway.Client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync()).ShouldBe(anthropic
            ? "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"Invalid API key.\"}}"
            : "{\"error\":{\"message\":\"Invalid API key.\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}");
        response.Headers.Contains(anthropic ? "request-id" : "x-request-id").ShouldBeTrue();
    }
}
