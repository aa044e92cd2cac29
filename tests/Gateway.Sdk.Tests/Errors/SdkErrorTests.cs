using System.ClientModel;
using System.Net;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;
using Gateway.Sdk.Tests.Anthropic;
using Gateway.Sdk.Tests.OpenAI;
using Gateway.Sdk.Tests.Support;
using OpenAI.Chat;
using static Metrics.Testing.GatewayHarness.GatewaySettings;

namespace Gateway.Sdk.Tests.Errors;

/// <summary>Every error the SDKs meet arrives as each SDK's own exception, with the status, shape and request id the real APIs use.</summary>
public class SdkErrorTests
{
    private const string LimitedKey = "test-key-limited-0c7e2b11";

    [Test]
    public async Task Bad_key_is_401_in_each_apis_shape_on_every_endpoint_with_a_request_id()
    {
        await using var gateway = await TestGateway.StartAsync(settings => settings.LogLevel = LogLevel.Debug);

        var chat = await Should.ThrowAsync<ClientResultException>(() => SdkClients.Chat(gateway, GptModel, key: "not-a-key").CompleteChatAsync([new UserChatMessage("hi")]));
        var models = await Should.ThrowAsync<ClientResultException>(() => SdkClients.Models(gateway, key: "not-a-key").GetModelsAsync());
        var messages = await Should.ThrowAsync<AnthropicUnauthorizedException>(() =>
            SdkClients.Anthropic(gateway, key: "not-a-key").Messages.Create(MessagesSdkTests.Parameters(ClaudeModel, "hi")));
        var anthropicModels = await Should.ThrowAsync<AnthropicUnauthorizedException>(() =>
            SdkClients.Anthropic(gateway, key: "not-a-key").Models.List(new global::Anthropic.Models.Models.ModelListParams()));

        foreach (var openAI in new[] { chat, models })
        {
            openAI.Status.ShouldBe(401);
            openAI.Message.ShouldContain("Invalid API key.");
            openAI.GetRawResponse()!.Headers.TryGetValue("x-request-id", out var id).ShouldBeTrue();
            id.ShouldNotBeNull().ShouldMatch(ChatCompletionsSdkTests.OpenAIRequestId().ToString());
        }

        foreach (var anthropic in new[] { messages, anthropicModels })
        {
            anthropic.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            anthropic.ResponseBody.ShouldBe("{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"Invalid API key.\"}}");
            anthropic.RequestID.ShouldNotBeNull().ShouldMatch(ChatCompletionsSdkTests.AnthropicRequestId().ToString());
            // Refused at the door, so logged at Debug: a flood of bad keys never reaches the Information log.
            gateway.Logs.AtLeast(LogLevel.Trace).Single(entry => entry.Message.StartsWith($"Request {anthropic.RequestID}: ", StringComparison.Ordinal))
                .Level.ShouldBe(LogLevel.Debug);
        }

        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_requests_total", ("surface", "openai_chat"), ("provider", "none"), ("model", "none"), ("status", "401")).ShouldBe(1);
        metrics.Value("llm_requests_total", ("surface", "anthropic_messages"), ("provider", "none"), ("model", "none"), ("status", "401")).ShouldBe(1);
        metrics.Sum("llm_requests_total").ShouldBe(2);
        metrics.Sum("llm_account_requests_total").ShouldBe(0);
    }

    [Test]
    public async Task Unknown_model_is_404_for_completions_and_model_lookups_in_each_sdk()
    {
        await using var gateway = await TestGateway.StartAsync();

        var chat = await Should.ThrowAsync<ClientResultException>(() => SdkClients.Chat(gateway, "gpt-imaginary").CompleteChatAsync([new UserChatMessage("hi")]));
        var model = await Should.ThrowAsync<ClientResultException>(() => SdkClients.Models(gateway).GetModelAsync("gpt-imaginary"));
        var messages = await Should.ThrowAsync<AnthropicNotFoundException>(() =>
            SdkClients.Anthropic(gateway).Messages.Create(MessagesSdkTests.Parameters("claude-imaginary", "hi")));
        var anthropicModel = await Should.ThrowAsync<AnthropicNotFoundException>(() =>
            SdkClients.Anthropic(gateway).Models.Retrieve("claude-imaginary", new global::Anthropic.Models.Models.ModelRetrieveParams()));

        chat.Status.ShouldBe(404);
        chat.Message.ShouldContain("model_not_found");
        model.Status.ShouldBe(404);
        model.GetRawResponse()!.Content.ToString().ShouldBe(
            "{\"error\":{\"message\":\"The model 'gpt-imaginary' does not exist\",\"type\":\"invalid_request_error\",\"param\":\"model\",\"code\":\"model_not_found\"}}");
        messages.ResponseBody.ShouldStartWith("{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"The model 'claude-imaginary' does not exist");
        anthropicModel.ResponseBody.ShouldBe("{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"model: claude-imaginary\"}}");
        (await SdkClients.Models(gateway).GetModelAsync(GptModel)).Value.OwnedBy.ShouldBe(OpenAIPrimary);

        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_requests_total", ("surface", "openai_chat"), ("provider", "none"), ("model", "none"), ("status", "404")).ShouldBe(1);
        metrics.Value("llm_requests_total", ("surface", "anthropic_messages"), ("provider", "none"), ("model", "none"), ("status", "404")).ShouldBe(1);
        metrics.Sum("llm_requests_total").ShouldBe(2);
    }

    [TestCase(GptModel, OpenAIPrimary)]
    [TestCase(ClaudeModel, AnthropicPrimary)]
    public async Task Empty_messages_are_refused_400_by_the_provider_as_the_real_apis_do_in_the_clients_shape(string model, string provider)
    {
        await using var gateway = await TestGateway.StartAsync();

        // The typed overload refuses an empty list before sending; the SDK's protocol method sends what it is given.
        var body = BinaryContent.Create(BinaryData.FromString($$"""{"model":"{{model}}","messages":[]}"""));
        var chat = await Should.ThrowAsync<ClientResultException>(() => SdkClients.Chat(gateway, model).CompleteChatAsync(body));
        var messages = await Should.ThrowAsync<AnthropicBadRequestException>(() =>
            SdkClients.Anthropic(gateway).Messages.Create(MessagesSdkTests.Parameters(model, "hi") with { Messages = [] }));

        chat.Status.ShouldBe(400);
        chat.Message.ShouldContain(model == GptModel ? "Invalid 'messages': empty array." : "messages: at least one message is required");
        messages.ApiMessage.ShouldBe(model == ClaudeModel ? "messages: at least one message is required" : "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.");

        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_requests_total", ("surface", "openai_chat"), ("provider", provider), ("model", model), ("status", "400")).ShouldBe(1);
        metrics.Value("llm_requests_total", ("surface", "anthropic_messages"), ("provider", provider), ("model", model), ("status", "400")).ShouldBe(1);
        metrics.Value("llm_errors_total", ("error_type", "bad_request"), ("provider", provider)).ShouldBe(2);
        metrics.Sum("llm_failovers_total").ShouldBe(0);
    }

    [Test]
    public async Task Field_that_does_not_translate_is_400_naming_it_before_any_provider_is_called()
    {
        await using var gateway = await TestGateway.StartAsync();

        var options = new ChatCompletionOptions { Seed = 7 };
        var chat = await Should.ThrowAsync<ClientResultException>(() => SdkClients.Chat(gateway, ClaudeModel).CompleteChatAsync([new UserChatMessage("hi")], options));
        var messages = await Should.ThrowAsync<AnthropicBadRequestException>(() =>
            SdkClients.Anthropic(gateway).Messages.Create(MessagesSdkTests.Parameters(GptModel, "hi") with { ServiceTier = "standard_only" }));

        chat.Status.ShouldBe(400);
        chat.GetRawResponse()!.Content.ToString().ShouldBe(
            "{\"error\":{\"message\":\"The field 'seed' cannot be translated: the Anthropic Messages API has no equivalent\",\"type\":\"invalid_request_error\",\"param\":\"seed\",\"code\":\"unsupported_parameter\"}}");
        messages.ResponseBody.ShouldBe(
            "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"The field 'service_tier' cannot be translated: the OpenAI Chat Completions API has no equivalent\"}}");

        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_requests_total", ("surface", "openai_chat"), ("provider", "none"), ("model", ClaudeModel), ("status", "400")).ShouldBe(1);
        metrics.Value("llm_requests_total", ("surface", "anthropic_messages"), ("provider", "none"), ("model", GptModel), ("status", "400")).ShouldBe(1);
        metrics.Value("llm_errors_total", ("error_type", "bad_request"), ("provider", "none")).ShouldBe(2);
        metrics.Sum("llm_translations_total").ShouldBe(0);
        metrics.Sum("llm_tokens_total").ShouldBe(0);
    }

    [Test]
    public async Task Rate_limited_account_gets_429_and_each_sdk_retries_after_it_on_its_own()
    {
        // One request a second, burst 1: back-to-back calls meet an empty bucket and 429 with Retry-After: 1.
        await using var gateway = await TestGateway.StartAsync(settings => settings
            .Account("limited-openai", LimitedKey, requestsPerMinute: 60, burst: 1)
            .Account("limited-anthropic", LimitedKey + "-b", requestsPerMinute: 60, burst: 1));
        var openAILog = new AttemptLog();
        var anthropicLog = new AttemptLog();
        var chat = SdkClients.Chat(gateway, GptModel, openAILog, LimitedKey, maxRetries: 4);
        var anthropic = SdkClients.Anthropic(gateway, anthropicLog, LimitedKey + "-b", maxRetries: 4);

        // Calls go back to back until one met a 429; a refill that fell between two calls only makes it take one more.
        var openAICalls = 0;
        while (!openAILog.Attempts.Any(attempt => attempt.Status == 429) && openAICalls < 4)
        {
            (await chat.CompleteChatAsync([new UserChatMessage("again")])).Value.Content.Single().Text.ShouldStartWith("This is");
            openAICalls++;
        }

        var anthropicCalls = 0;
        while (!anthropicLog.Attempts.Any(attempt => attempt.Status == 429) && anthropicCalls < 4)
        {
            (await anthropic.Messages.Create(MessagesSdkTests.Parameters(ClaudeModel, "again"))).Content.Single().TryPickText(out _).ShouldBeTrue();
            anthropicCalls++;
        }

        var openAIRejected = openAILog.Attempts.Count(attempt => attempt.Status == 429);
        var anthropicRejected = anthropicLog.Attempts.Count(attempt => attempt.Status == 429);
        openAIRejected.ShouldBeGreaterThan(0);
        anthropicRejected.ShouldBeGreaterThan(0);
        openAILog.Attempts.Count(attempt => attempt.Status == 200).ShouldBe(openAICalls, "every call ended in success after the SDK's own retries");
        anthropicLog.Attempts.Count(attempt => attempt.Status == 200).ShouldBe(anthropicCalls);
        openAILog.Attempts[^1].Status.ShouldBe(200);
        anthropicLog.Attempts[^1].Status.ShouldBe(200);

        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_rate_limited_total", ("account", "limited-openai")).ShouldBe(openAIRejected);
        metrics.Value("llm_rate_limited_total", ("account", "limited-anthropic")).ShouldBe(anthropicRejected);
        metrics.Value("llm_account_requests_total", ("account", "limited-openai")).ShouldBe(openAIRejected + openAICalls);
        metrics.Value("llm_requests_total", ("surface", "openai_chat"), ("provider", "none"), ("model", "none"), ("status", "429")).ShouldBe(openAIRejected);
        metrics.Value("llm_requests_total", ("surface", "anthropic_messages"), ("provider", "none"), ("model", "none"), ("status", "429")).ShouldBe(anthropicRejected);
        metrics.Value("llm_requests_total", ("surface", "openai_chat"), ("provider", OpenAIPrimary), ("model", GptModel), ("status", "200")).ShouldBe(openAICalls);
        metrics.Value("llm_requests_total", ("surface", "anthropic_messages"), ("provider", AnthropicPrimary), ("model", ClaudeModel), ("status", "200")).ShouldBe(anthropicCalls);
    }

    [Test]
    public async Task Every_provider_busy_is_529_overloaded_for_anthropic_clients_and_503_for_openai_clients()
    {
        await using var gateway = await TestGateway.StartAsync();
        foreach (var provider in new[] { AnthropicPrimary, AnthropicSecondary })
        {
            await gateway.SetFaultAsync(provider, "rate_limited");
        }

        var anthropic = await Should.ThrowAsync<AnthropicOverloadedException>(() =>
            SdkClients.Anthropic(gateway).Messages.Create(MessagesSdkTests.Parameters(ClaudeModel, "hi")));
        var openAI = await Should.ThrowAsync<ClientResultException>(() => SdkClients.Chat(gateway, ClaudeModel).CompleteChatAsync([new UserChatMessage("hi")]));

        ((int)anthropic.StatusCode).ShouldBe(529);
        anthropic.ResponseBody.ShouldStartWith("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Every provider of model 'claude-test' failed.");
        anthropic.RequestID.ShouldNotBeNull().ShouldMatch(ChatCompletionsSdkTests.AnthropicRequestId().ToString());
        openAI.Status.ShouldBe(503);
        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_requests_total", ("surface", "anthropic_messages"), ("provider", "none"), ("model", ClaudeModel), ("status", "529")).ShouldBe(1);
        metrics.Value("llm_requests_total", ("surface", "openai_chat"), ("provider", "none"), ("model", ClaudeModel), ("status", "503")).ShouldBe(1);
        metrics.Value("llm_errors_total", ("error_type", "no_backend"), ("provider", "none")).ShouldBe(2);
        // The first request's two failed attempts open each breaker, so the second finds both circuits open.
        metrics.Value("llm_errors_total", ("error_type", "upstream_429"), ("provider", AnthropicPrimary)).ShouldBe(1);
        metrics.Value("llm_errors_total", ("error_type", "circuit_open"), ("provider", AnthropicPrimary)).ShouldBe(1);
    }
}
