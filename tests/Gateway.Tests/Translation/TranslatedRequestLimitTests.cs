using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Translation;

/// <summary>
/// A request the gateway translates obeys the same input rules as one it forwards as sent: the stream flag and the
/// output token limits are checked before any translation or provider call, and the translated request never asks
/// a provider for more output tokens than the gateway's limit.
/// </summary>
public class TranslatedRequestLimitTests
{
    private const string AnthropicServed = "claude-scripted";
    private const string OpenAIServed = "gpt-scripted";
    private const string Rule4096 = "must be a whole number from 1 to 4096.";

    private const string AnthropicAnswer =
        "{\"id\":\"msg_01\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-scripted\",\"content\":[{\"type\":\"text\",\"text\":\"Hello\"}],"
        + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":4,\"output_tokens\":2}}";

    private const string OpenAIAnswer =
        "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-scripted\","
        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello\"},\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":2,\"total_tokens\":6}}";

    private static readonly object[] RefusedOpenAIRequests =
    [
        new object[] { "/v1/chat/completions", "\"max_tokens\":4097", "max_tokens", $"The 'max_tokens' field {Rule4096}" },
        new object[] { "/v1/chat/completions", "\"max_completion_tokens\":0", "max_completion_tokens", $"The 'max_completion_tokens' field {Rule4096}" },
        new object[] { "/v1/chat/completions", "\"max_tokens\":1e400", "max_tokens", $"The 'max_tokens' field {Rule4096}" },
        new object[] { "/v1/chat/completions", "\"stream\":\"yes\"", "stream", "The 'stream' field must be true or false." },
        new object[] { "/v1/responses", "\"max_output_tokens\":5000", "max_output_tokens", $"The 'max_output_tokens' field {Rule4096}" },
        new object[] { "/v1/responses", "\"stream\":1", "stream", "The 'stream' field must be true or false." },
    ];

    private static readonly object[] RefusedMessagesRequests =
    [
        new object[] { "\"max_tokens\":4097,", $"The 'max_tokens' field {Rule4096}" },
        new object[] { "\"max_tokens\":-5,", $"The 'max_tokens' field {Rule4096}" },
        new object[] { "\"max_tokens\":64,\"stream\":\"yes\",", "The 'stream' field must be true or false." },
        new object[] { "", "The field 'max_tokens' cannot be translated: the Anthropic Messages API requires it, and an OpenAI provider would take its absence as no limit" },
    ];

    [TestCaseSource(nameof(RefusedOpenAIRequests))]
    public async Task OpenAI_request_for_an_anthropic_served_model_breaking_a_rule_gets_400_naming_the_field_before_any_translation(
        string path, string field, string param, string message)
    {
        await using var upstream = await ScriptedUpstream.StartAsync(context => AnswerAsync(context, AnthropicAnswer));
        await using var gateway = await StartAsync(upstream, "Anthropic", AnthropicServed);
        var input = path == "/v1/responses" ? "\"input\":\"hi\"" : "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

        using var response = await gateway.PostAsync(path, $"{{\"model\":\"{AnthropicServed}\",{input},{field}}}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldBe(
            $"{{\"error\":{{\"message\":\"{message}\",\"type\":\"invalid_request_error\",\"param\":\"{param}\",\"code\":\"invalid_request\"}}}}");
        response.Headers.GetValues("x-request-id").Single().ShouldMatch("^req_[0-9a-f]{32}$");
        upstream.Requests.ShouldBeEmpty();
        var metrics = await gateway.ScrapeAsync();
        metrics.Sum("llm_translations_total").ShouldBe(0);
        metrics.Sum("llm_tokens_total").ShouldBe(0);
    }

    [TestCaseSource(nameof(RefusedMessagesRequests))]
    public async Task Messages_request_for_an_openai_served_model_breaking_a_rule_gets_400_in_anthropics_shape_before_any_provider_is_asked(string fields, string message)
    {
        await using var upstream = await ScriptedUpstream.StartAsync(context => AnswerAsync(context, OpenAIAnswer));
        await using var gateway = await StartAsync(upstream, "OpenAI", OpenAIServed);

        using var response = await gateway.PostAsync("/v1/messages", $"{{\"model\":\"{OpenAIServed}\",{fields}\"messages\":[{{\"role\":\"user\",\"content\":\"hi\"}}]}}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldBe($"{{\"type\":\"error\",\"error\":{{\"type\":\"invalid_request_error\",\"message\":\"{message}\"}}}}");
        response.Headers.GetValues("request-id").Single().ShouldMatch("^req_011C[1-9A-HJ-NP-Za-km-z]{20}$");
        upstream.Requests.ShouldBeEmpty();
        var metrics = await gateway.ScrapeAsync();
        metrics.Sum("llm_translations_total").ShouldBe(0);
    }

    [TestCase("/v1/chat/completions", "", 1000)]
    [TestCase("/v1/chat/completions", ",\"max_tokens\":1000", 1000)]
    [TestCase("/v1/chat/completions", ",\"max_completion_tokens\":7", 7)]
    [TestCase("/v1/responses", "", 1000)]
    [TestCase("/v1/responses", ",\"max_output_tokens\":999", 999)]
    public async Task Translated_openai_request_never_asks_anthropic_for_more_than_the_gateways_output_token_limit(string path, string field, int expected)
    {
        await using var upstream = await ScriptedUpstream.StartAsync(context => AnswerAsync(context, AnthropicAnswer));
        await using var gateway = await StartAsync(upstream, "Anthropic", AnthropicServed, outputTokenLimit: 1000);
        var input = path == "/v1/responses" ? "\"input\":\"hi\"" : "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

        using var response = await gateway.PostAsync(path, $"{{\"model\":\"{AnthropicServed}\",{input}{field}}}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        using var sent = JsonDocument.Parse(upstream.Requests.Single().Body);
        sent.RootElement.GetProperty("max_tokens").GetInt32().ShouldBe(expected);
    }

    [Test]
    public async Task Translated_messages_request_carries_its_bounded_max_tokens_to_openai()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(context => AnswerAsync(context, OpenAIAnswer));
        await using var gateway = await StartAsync(upstream, "OpenAI", OpenAIServed, outputTokenLimit: 1000);

        using var response = await gateway.PostAsync("/v1/messages", Requests.Messages(OpenAIServed, "hi", maxTokens: 1000));

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        using var sent = JsonDocument.Parse(upstream.Requests.Single().Body);
        sent.RootElement.GetProperty("max_completion_tokens").GetInt32().ShouldBe(1000);
        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_translations_total", ("from_surface", "anthropic_messages"), ("to_style", "openai")).ShouldBe(1);
    }

    private static Task AnswerAsync(HttpContext context, string answer)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(answer);
    }

    private static Task<TestGateway> StartAsync(ScriptedUpstream upstream, string style, string model, int outputTokenLimit = 4096) =>
        TestGateway.StartAsync(settings => settings
            .Set("Gateway:MaxOutputTokens", outputTokenLimit.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .RealProvider("scripted", style, upstream.BaseUri, TestKeys.Upstream)
            .Model(model, "scripted"));
}
