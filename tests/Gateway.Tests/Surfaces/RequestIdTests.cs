using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using static Gateway.Tests.Support.GatewaySettings;

namespace Gateway.Tests.Surfaces;

public class RequestIdTests
{
    private const string Provider = "real-provider";

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
        var line = gateway.Logs.Entries.Single(entry => entry.Contains("Request req_from_the_provider_0001:", StringComparison.Ordinal));
        line.ShouldContain("POST /v1/chat/completions answered 200");
        line.ShouldContain("account alpha, model gpt-real, provider real-provider, gateway id req_");
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

    [TestCase("/v1/chat/completions", "x-request-id", "^req_[0-9a-f]{32}$")]
    [TestCase("/v1/messages", "request-id", "^req_011C[1-9A-HJ-NP-Za-km-z]{20}$")]
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
