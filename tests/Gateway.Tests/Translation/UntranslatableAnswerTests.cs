using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Translation;

/// <summary>A provider whose answer breaks its own API's rules: the client hears it in its API, and no count is lost.</summary>
public class UntranslatableAnswerTests
{
    private const string Provider = "real-provider";

    [Test]
    public async Task Malformed_event_mid_stream_ends_the_translated_stream_with_an_error_and_the_request_is_still_counted()
    {
        var events = Encoding.UTF8.GetBytes(
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"claude-real\",\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}\n\n"
            + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
            + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n"
            + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":\"one\",\"content_block\":{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"f\"}}\n\n");
        await using var upstream = await ScriptedUpstream.StartAsync(context => ScriptedUpstream.WriteChunksAsync(context, [events]));
        await using var gateway = await TestGateway.StartAsync(settings => settings.RealProvider(Provider, "Anthropic", upstream.BaseUri, TestKeys.Upstream).Model("claude-real", Provider));

        using var response = await gateway.PostAsync("/v1/chat/completions", Requests.Chat("claude-real", "hi", stream: true));
        var body = await response.Content.ReadAsStringAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        ClientUsage.StreamedText(body).ShouldBe("Hi");
        body.ShouldEndWith(
            "data: {\"error\":{\"message\":\"The stream was interrupted: provider 'real-provider' sent an answer its API does not allow, which could not be translated.\",\"type\":\"api_error\",\"param\":null,\"code\":\"stream_interrupted\"}}\n\n");
        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_requests_total", ("surface", "openai_chat"), ("provider", Provider), ("model", "claude-real"), ("status", "200")).ShouldBe(1);
        metrics.Value("llm_errors_total", ("error_type", "bad_response"), ("provider", Provider)).ShouldBe(1);
        metrics.Value("llm_tokens_total", ("provider", Provider), ("model", "claude-real"), ("type", "prompt")).ShouldBe(5);
    }

    [Test]
    public async Task Tool_arguments_that_are_no_json_object_fail_the_provider_over_instead_of_reaching_an_anthropic_client()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(async context =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(
                "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"gpt-real\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,"
                + "\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"[1,2]\"}}]},\"finish_reason\":\"tool_calls\"}],"
                + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2}}");
        });
        await using var gateway = await TestGateway.StartAsync(settings => settings
            .RealProvider(Provider, "OpenAI", upstream.BaseUri, TestKeys.Upstream)
            .Model("gpt-real", Provider, GatewaySettings.AnthropicSecondary));

        using var response = await gateway.PostAsync("/v1/messages", Requests.Messages("gpt-real", "hi"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues("x-gateway-provider").Single().ShouldBe(GatewaySettings.AnthropicSecondary);
        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_errors_total", ("error_type", "bad_response"), ("provider", Provider)).ShouldBe(1);
        metrics.Value("llm_failovers_total", ("from", Provider), ("to", GatewaySettings.AnthropicSecondary)).ShouldBe(1);
        metrics.Value("llm_requests_total", ("surface", "anthropic_messages"), ("provider", GatewaySettings.AnthropicSecondary), ("model", "gpt-real"), ("status", "200")).ShouldBe(1);
        metrics.Value("llm_translations_total", ("from_surface", "anthropic_messages"), ("to_style", "openai")).ShouldBe(1);
    }
}
