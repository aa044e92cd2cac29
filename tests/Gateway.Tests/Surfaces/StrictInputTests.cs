using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using static Metrics.Testing.GatewayHarness.GatewaySettings;

namespace Gateway.Tests.Surfaces;

public class StrictInputTests
{
    private const string Chat = "/v1/chat/completions";
    private const string CountTokens = "/v1/messages/count_tokens";

    private static readonly object[] RefusedBodies =
    [
        new object[] { "\"stream\":\"yes\"", "stream", "The 'stream' field must be true or false." },
        new object[] { "\"stream\":1", "stream", "The 'stream' field must be true or false." },
        new object[] { "\"max_tokens\":-5", "max_tokens", "The 'max_tokens' field must be a whole number from 1 to 4096." },
        new object[] { "\"max_tokens\":0", "max_tokens", "The 'max_tokens' field must be a whole number from 1 to 4096." },
        new object[] { "\"max_tokens\":1e400", "max_tokens", "The 'max_tokens' field must be a whole number from 1 to 4096." },
        new object[] { "\"max_tokens\":5.5", "max_tokens", "The 'max_tokens' field must be a whole number from 1 to 4096." },
        new object[] { "\"max_tokens\":\"10\"", "max_tokens", "The 'max_tokens' field must be a whole number from 1 to 4096." },
        new object[] { "\"max_tokens\":4097", "max_tokens", "The 'max_tokens' field must be a whole number from 1 to 4096." },
        new object[] { "\"max_completion_tokens\":-1", "max_completion_tokens", "The 'max_completion_tokens' field must be a whole number from 1 to 4096." },
    ];

    [TestCase("{\"model\":\"gpt-scripted\",\"model\":\"gpt-4o\",\"messages\":[]}")]
    [TestCase("{\"model\":\"gpt-scripted\",\"mod\\u0065l\":\"gpt-4o\",\"messages\":[]}")]
    [TestCase("{\"model\":\"gpt-scripted\",\"messages\":[{\"role\":\"user\",\"role\":\"system\",\"content\":\"hi\"}]}")]
    public async Task Property_named_twice_in_one_object_gets_400_so_gateway_and_provider_never_read_different_values(string body)
    {
        await using var upstream = await ScriptedUpstream.StartAsync(context => context.Response.WriteAsync("{}"));
        await using var gateway = await StartAsync(upstream);

        using var response = await gateway.PostAsync(Chat, body);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldBe(
            "{\"error\":{\"message\":\"The request body repeats a property name within one object; each may appear once.\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_request\"}}");
        upstream.Requests.ShouldBeEmpty();
    }

    [TestCaseSource(nameof(RefusedBodies))]
    public async Task Field_that_breaks_a_rule_gets_400_naming_it_before_any_provider_is_asked(string extra, string param, string message)
    {
        await using var upstream = await ScriptedUpstream.StartAsync(context => context.Response.WriteAsync("{}"));
        await using var gateway = await StartAsync(upstream);

        using var response = await gateway.PostAsync(Chat, $"{{\"model\":\"gpt-scripted\",\"messages\":[{{\"role\":\"user\",\"content\":\"hi\"}}],{extra}}}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldBe(
            $"{{\"error\":{{\"message\":\"{message}\",\"type\":\"invalid_request_error\",\"param\":\"{param}\",\"code\":\"invalid_request\"}}}}");
        upstream.Requests.ShouldBeEmpty();
    }

    [TestCase("\"stream\":null")]
    [TestCase("\"stream\":false")]
    [TestCase("\"max_tokens\":null")]
    [TestCase("\"max_tokens\":4096")]
    [TestCase("\"max_tokens\":1")]
    public async Task Field_within_the_rules_is_accepted(string extra)
    {
        await using var gateway = await TestGateway.StartAsync(settings => settings.Set("Gateway:MaxOutputTokens", "4096"));

        using var response = await gateway.PostAsync(Chat, $"{{\"model\":\"{GptModel}\",\"messages\":[{{\"role\":\"user\",\"content\":\"hi\"}}],{extra}}}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Output_token_limits_of_the_responses_and_messages_apis_follow_the_same_rule_in_their_own_shape()
    {
        await using var gateway = await TestGateway.StartAsync(settings => settings.Set("Gateway:MaxOutputTokens", "4096"));

        using var responses = await gateway.PostAsync("/v1/responses", $"{{\"model\":\"{GptModel}\",\"input\":\"hi\",\"max_output_tokens\":-5}}");
        using var messages = await gateway.PostAsync("/v1/messages", Requests.Messages(ClaudeModel, "hi", maxTokens: 5000));
        using var streamed = await gateway.PostAsync("/v1/messages", $"{{\"model\":\"{ClaudeModel}\",\"max_tokens\":10,\"stream\":\"yes\",\"messages\":[]}}");

        responses.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await responses.Content.ReadAsStringAsync()).ShouldBe(
            "{\"error\":{\"message\":\"The 'max_output_tokens' field must be a whole number from 1 to 4096.\",\"type\":\"invalid_request_error\",\"param\":\"max_output_tokens\",\"code\":\"invalid_request\"}}");
        messages.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await messages.Content.ReadAsStringAsync()).ShouldBe(
            "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"The 'max_tokens' field must be a whole number from 1 to 4096.\"}}");
        (await streamed.Content.ReadAsStringAsync()).ShouldBe(
            "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"The 'stream' field must be true or false.\"}}");
    }

    [TestCase(new byte[] { 0xff, 0xfe }, "The request body is not valid UTF-8: the byte at offset 48 does not start or continue a character.")]
    [TestCase(new byte[] { 0xc3 }, "The request body is not valid UTF-8: the byte at offset 48 does not start or continue a character.")]
    [TestCase(new byte[] { 0xed, 0xa0, 0x80 }, "The request body is not valid UTF-8: the byte at offset 48 does not start or continue a character.")]
    [TestCase(new byte[] { (byte)'\\', (byte)'u', (byte)'d', (byte)'8', (byte)'0', (byte)'0' }, "The request body is not valid Unicode: the escape at offset 48 is half of a surrogate pair.")]
    [TestCase(new byte[] { (byte)'\\', (byte)'u', (byte)'D', (byte)'C', (byte)'0', (byte)'0', (byte)'x' }, "The request body is not valid Unicode: the escape at offset 48 is half of a surrogate pair.")]
    [TestCase(new byte[] { (byte)'\\', (byte)'u', (byte)'d', (byte)'8', (byte)'3', (byte)'d', (byte)'\\', (byte)'n' }, "The request body is not valid Unicode: the escape at offset 48 is half of a surrogate pair.")]
    public async Task Text_that_is_not_valid_unicode_gets_400_invalid_json_and_never_reaches_a_provider(byte[] inside, string message)
    {
        await using var upstream = await ScriptedUpstream.StartAsync(context => context.Response.WriteAsync("{}"));
        await using var gateway = await StartAsync(upstream);
        // The content string starts at byte 48 of the body.
        var body = Encoding.UTF8.GetBytes("{\"model\":\"gpt-scripted\",\"messages\":[{\"content\":\"").Concat(inside).Concat(Encoding.UTF8.GetBytes("\"}]}")).ToArray();

        using var response = await gateway.PostBytesAsync(Chat, body, "application/json");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldBe(
            $"{{\"error\":{{\"message\":\"{message}\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_json\"}}}}");
        upstream.Requests.ShouldBeEmpty();
    }

    [TestCase("\\ud83d\\ude00")]
    [TestCase("\\\\ud800")]
    [TestCase("plain \\u00e9 and \\n")]
    public async Task Escapes_that_are_valid_unicode_pass(string content)
    {
        await using var gateway = await TestGateway.StartAsync();

        using var response = await gateway.PostAsync(Chat, $"{{\"model\":\"{GptModel}\",\"messages\":[{{\"role\":\"user\",\"content\":\"{content}\"}}]}}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [TestCase(null, "The request has no Content-Type; send the JSON body with 'Content-Type: application/json'.")]
    [TestCase("text/plain", "The Content-Type 'text/plain' is not JSON; send the body with 'Content-Type: application/json'.")]
    [TestCase("application/x-www-form-urlencoded", "The Content-Type 'application/x-www-form-urlencoded' is not JSON; send the body with 'Content-Type: application/json'.")]
    [TestCase("application/json; charset=utf-16", "The charset 'utf-16' is not supported; JSON bodies must be UTF-8.")]
    public async Task Body_not_declared_as_utf8_json_gets_415(string? contentType, string message)
    {
        await using var gateway = await TestGateway.StartAsync();

        using var response = await gateway.PostBytesAsync(Chat, Encoding.UTF8.GetBytes(Requests.Chat(GptModel, "hi")), contentType);

        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        (await response.Content.ReadAsStringAsync()).ShouldBe(
            $"{{\"error\":{{\"message\":\"{message}\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"unsupported_media_type\"}}}}");
        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_requests_total", ("surface", "openai_chat"), ("provider", "none"), ("model", "none"), ("status", "415")).ShouldBe(1);
    }

    [TestCase("application/json")]
    [TestCase("application/json; charset=UTF-8")]
    [TestCase("application/vnd.api+json")]
    public async Task Json_content_types_are_accepted(string contentType)
    {
        await using var gateway = await TestGateway.StartAsync();

        using var response = await gateway.PostBytesAsync(Chat, Encoding.UTF8.GetBytes(Requests.Chat(GptModel, "hi")), contentType);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Test]
    public async Task Long_model_name_is_echoed_cut_to_256_characters()
    {
        await using var gateway = await TestGateway.StartAsync();
        var name = new string('m', 100 * 1024);

        using var response = await gateway.PostAsync(Chat, Requests.Chat(name, "hi"));

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var body = await response.Content.ReadAsStringAsync();
        body.ShouldBe(
            $"{{\"error\":{{\"message\":\"The model '{new string('m', 256)}…' does not exist on this gateway; GET /v1/models lists the models it serves.\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"model_not_found\"}}}}");
        Encoding.UTF8.GetByteCount(body).ShouldBe(439, "a 100 KiB name costs a fixed-size answer");
    }

    [Test]
    public async Task No_error_body_carries_a_dotnet_type_name_or_exception_message()
    {
        await using var gateway = await TestGateway.StartAsync();
        var bodies = new List<string>();
        foreach (var (path, body) in new[]
        {
            (Chat, "{\"model\": \"gpt-test\", \"messages\": ["), (Chat, "{\"model\":[1]}"), (Chat, "\"just a string\""), (Chat, "{\"model\":\"gpt-test\",\"messages\":[],\"stream\":{}}"),
            ("/v1/messages", "{"), ("/v1/responses", "{\"model\":\"gpt-test\",\"input\":\"\\ud800\"}"), ("/v1/tokens", "{\"expires_in_seconds\":300000000000}"),
            ("/v1/tokens", "{\"name\":{\"nested\":true}}"), ("/v1/tokens", "{\"expires_in_seconds\":"),
        })
        {
            using var response = await gateway.PostAsync(path, body);
            ((int)response.StatusCode).ShouldBeInRange(400, 499, $"{path} {body}");
            bodies.Add(await response.Content.ReadAsStringAsync());
        }

        foreach (var body in new[] { "{\"mode\":99}", "{\"mode\":", "[]", "{\"count\":1e400,\"mode\":\"failing\"}" })
        {
            using var response = await gateway.SendManagementAsync(HttpMethod.Post, $"/simulator/providers/{OpenAIPrimary}", body);
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, body);
            bodies.Add(await response.Content.ReadAsStringAsync());
        }

        foreach (var body in bodies)
        {
            body.ShouldStartWith("{");
            foreach (var leak in new[] { "Gateway.", "System.", "Exception", "Path: $", "LineNumber", "BytePositionInLine", "could not be converted" })
            {
                body.ShouldNotContain(leak, Case.Sensitive, body);
            }
        }
    }

    private static readonly object[] RefusedCountTokensBodies =
    [
        new object[] { "{\"model\":\"claude-scripted\",\"model\":\"claude-test\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 400, "The request body repeats a property name within one object; each may appear once." },
        new object[] { "{\"model\":\"claude-scripted\",\"messages\":[{\"role\":\"user\",\"content\":\"\\ud800\"}]}", 400, "The request body is not valid Unicode: the escape at offset 65 is half of a surrogate pair." },
        new object[] { "{\"model\":\"claude-scripted\",\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 400, "The 'stream' field must be true or false." },
        new object[] { "{\"model\":\"claude-scripted\",\"max_tokens\":0,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 400, "The 'max_tokens' field must be a whole number from 1 to 4096." },
        new object[] { "{\"model\":\"claude-scripted\",\"messages\":\"hi\"}", 400, "The 'messages' field is required and must be an array." },
        new object[] { "[1,2]", 400, "The request body must be a JSON object." },
    ];

    [TestCaseSource(nameof(RefusedCountTokensBodies))]
    public async Task Count_tokens_gets_the_same_strict_checks_in_anthropics_shape_before_any_provider_is_asked(string body, int status, string message)
    {
        await using var upstream = await ScriptedUpstream.StartAsync(context => context.Response.WriteAsync("{\"input_tokens\":3}"));
        await using var gateway = await StartAnthropicAsync(upstream);

        using var refused = await gateway.PostAsync(CountTokens, body);
        using var counted = await gateway.PostAsync(CountTokens, "{\"model\":\"claude-scripted\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        ((int)refused.StatusCode).ShouldBe(status);
        (await refused.Content.ReadAsStringAsync()).ShouldBe($"{{\"type\":\"error\",\"error\":{{\"type\":\"invalid_request_error\",\"message\":\"{message}\"}}}}");
        refused.Headers.GetValues("request-id").Single().ShouldStartWith("req_011C");
        // The well-formed request reached the provider, the refused one never did.
        counted.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await counted.Content.ReadAsStringAsync()).ShouldBe("{\"input_tokens\":3}");
        upstream.Requests.Select(request => request.Path).ShouldBe(["/v1/messages/count_tokens"]);
        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_requests_total", ("surface", "anthropic_count_tokens"), ("provider", "none"), ("model", "none"), ("status", "400")).ShouldBe(1);
        metrics.Value("llm_errors_total", ("error_type", "bad_request"), ("provider", "none")).ShouldBe(1);
    }

    [Test]
    public async Task Count_tokens_body_not_declared_as_json_gets_415_in_anthropics_shape()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(context => context.Response.WriteAsync("{\"input_tokens\":3}"));
        await using var gateway = await StartAnthropicAsync(upstream);

        using var response = await gateway.PostBytesAsync(CountTokens, "{\"model\":\"claude-scripted\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"u8.ToArray(), "text/plain");

        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        (await response.Content.ReadAsStringAsync()).ShouldBe(
            "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"The Content-Type 'text/plain' is not JSON; send the body with 'Content-Type: application/json'.\"}}");
        upstream.Requests.ShouldBeEmpty();
        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_requests_total", ("surface", "anthropic_count_tokens"), ("provider", "none"), ("model", "none"), ("status", "415")).ShouldBe(1);
    }

    private static Task<TestGateway> StartAnthropicAsync(ScriptedUpstream upstream) =>
        TestGateway.StartAsync(settings => settings
            .Set("Gateway:MaxOutputTokens", "4096")
            .RealProvider("scripted-anthropic", "Anthropic", upstream.BaseUri, TestKeys.Upstream)
            .Model("claude-scripted", "scripted-anthropic"));

    private static Task<TestGateway> StartAsync(ScriptedUpstream upstream) =>
        TestGateway.StartAsync(settings => settings
            .Set("Gateway:MaxOutputTokens", "4096")
            .RealProvider("scripted", "OpenAI", upstream.BaseUri, TestKeys.Upstream)
            .Model("gpt-scripted", "scripted"));
}
