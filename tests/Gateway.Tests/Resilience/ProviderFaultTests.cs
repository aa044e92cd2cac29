using System.Net;
using System.Text;
using Gateway.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Polly.CircuitBreaker;
using static Metrics.Testing.GatewayHarness.GatewaySettings;

namespace Gateway.Tests.Resilience;

public class ProviderFaultTests
{
    private const string Scripted = "scripted";
    private const string ScriptedModel = "gpt-scripted";

    [TestCase(400)]
    [TestCase(404)]
    [TestCase(413)]
    [TestCase(422)]
    public async Task Upstream_4xx_about_the_request_is_passed_back_once_and_never_moves_the_breaker(int status)
    {
        var answer = $"{{\"error\":{{\"message\":\"scripted {status}\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}}}";
        await using var upstream = await ScriptedUpstream.StartAsync(async context =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer);
        });
        await using var gateway = await StartAsync(upstream);

        // Six in a row: under the test breaker (ratio 0.75, throughput 2), two counted failures would open it.
        for (var i = 0; i < 6; i++)
        {
            using var response = await gateway.PostAsync("/v1/chat/completions", Requests.Chat(ScriptedModel, "hello"));
            ((int)response.StatusCode).ShouldBe(status);
            (await response.Content.ReadAsStringAsync()).ShouldBe(answer);
            response.Headers.GetValues("x-gateway-provider").Single().ShouldBe(Scripted);
        }

        var metrics = await ShouldHaveBeenRelayedOnceEachWithTheBreakerClosedAsync(gateway, upstream, 6);
        metrics.Value("llm_requests_total", ("surface", "openai_chat"), ("provider", Scripted), ("model", ScriptedModel), ("status", status.ToString(System.Globalization.CultureInfo.InvariantCulture))).ShouldBe(6);
    }

    [TestCase(400, "invalid_request_error", "invalid_request", false)]
    [TestCase(404, "not_found_error", "not_found", true)]
    [TestCase(413, "request_too_large", "request_too_large", false)]
    [TestCase(422, "invalid_request_error", "invalid_request", true)]
    public async Task Upstream_4xx_about_a_translated_request_is_passed_back_once_in_the_clients_shape_and_never_moves_the_breaker(
        int status, string anthropicType, string openAICode, bool stream)
    {
        await using var upstream = await ScriptedUpstream.StartAsync(async context =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            context.Response.Headers["request-id"] = "req_011CScriptedRefusal0001";
            await context.Response.WriteAsync($"{{\"type\":\"error\",\"error\":{{\"type\":\"{anthropicType}\",\"message\":\"scripted {status}\"}}}}");
        });
        await using var gateway = await TestGateway.StartAsync(settings => settings
            .RealProvider(Scripted, "Anthropic", upstream.BaseUri, TestKeys.Upstream)
            .Model("claude-scripted", Scripted, AnthropicSecondary));

        // Six in a row, as above: a breaker that counted them would open after two, and a failover would reach the secondary.
        for (var i = 0; i < 6; i++)
        {
            using var response = await gateway.PostAsync("/v1/chat/completions", Requests.Chat("claude-scripted", "hello", stream));
            ((int)response.StatusCode).ShouldBe(status);
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
            (await response.Content.ReadAsStringAsync()).ShouldBe(
                $"{{\"error\":{{\"message\":\"scripted {status}\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"{openAICode}\"}}}}");
            response.Headers.GetValues("x-gateway-provider").Single().ShouldBe(Scripted);
            response.Headers.GetValues("x-request-id").Single().ShouldBe("req_011CScriptedRefusal0001");
        }

        var metrics = await ShouldHaveBeenRelayedOnceEachWithTheBreakerClosedAsync(gateway, upstream, 6);
        upstream.Requests.ShouldAllBe(request => request.Path == "/v1/messages");
        metrics.Value("llm_translations_total", ("from_surface", "openai_chat"), ("to_style", "anthropic")).ShouldBe(6);
        metrics.Value("llm_requests_total", ("surface", "openai_chat"), ("provider", Scripted), ("model", "claude-scripted"), ("status", status.ToString(System.Globalization.CultureInfo.InvariantCulture))).ShouldBe(6);
    }

    [TestCase(400, false)]
    [TestCase(422, true)]
    public async Task Upstream_4xx_about_a_messages_request_translated_for_openai_comes_back_in_anthropics_shape_and_never_moves_the_breaker(int status, bool stream)
    {
        await using var upstream = await ScriptedUpstream.StartAsync(async context =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync($"{{\"error\":{{\"message\":\"scripted {status}\",\"type\":\"invalid_request_error\",\"param\":\"messages\",\"code\":null}}}}");
        });
        await using var gateway = await StartAsync(upstream);

        for (var i = 0; i < 6; i++)
        {
            using var response = await gateway.PostAsync("/v1/messages", Requests.Messages(ScriptedModel, "hello", stream));
            ((int)response.StatusCode).ShouldBe(status);
            (await response.Content.ReadAsStringAsync()).ShouldBe($"{{\"type\":\"error\",\"error\":{{\"type\":\"invalid_request_error\",\"message\":\"scripted {status}\"}}}}");
            response.Headers.GetValues("request-id").Single().ShouldMatch("^req_011C[1-9A-HJ-NP-Za-km-z]{20}$");
        }

        var metrics = await ShouldHaveBeenRelayedOnceEachWithTheBreakerClosedAsync(gateway, upstream, 6);
        upstream.Requests.ShouldAllBe(request => request.Path == "/v1/chat/completions");
        metrics.Value("llm_requests_total", ("surface", "anthropic_messages"), ("provider", Scripted), ("model", ScriptedModel), ("status", status.ToString(System.Globalization.CultureInfo.InvariantCulture))).ShouldBe(6);
    }

    [TestCase(401)]
    [TestCase(403)]
    public async Task Upstream_refusing_the_gateways_credentials_fails_over_without_retry_and_is_never_relayed(int status)
    {
        await using var upstream = await ScriptedUpstream.StartAsync(async context =>
        {
            context.Response.StatusCode = status;
            await context.Response.WriteAsync("{\"error\":{\"message\":\"Incorrect API key provided\"}}");
        });
        await using var gateway = await StartAsync(upstream);

        using var response = await gateway.PostAsync("/v1/chat/completions", Requests.Chat(ScriptedModel, "hello"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues("x-gateway-provider").Single().ShouldBe(OpenAISecondary);
        upstream.Requests.Count.ShouldBe(1);
        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_errors_total", ("error_type", "upstream_auth"), ("provider", Scripted)).ShouldBe(1);
        metrics.Sum("llm_retries_total").ShouldBe(0);
        metrics.Value("llm_failovers_total", ("from", Scripted), ("to", OpenAISecondary)).ShouldBe(1);
    }

    [Test]
    public async Task Hundred_malformed_requests_from_one_tenant_leave_every_circuit_closed_and_the_other_tenant_served()
    {
        await using var gateway = await TestGateway.StartAsync();
        var malformed = MalformedRequests();
        var served = 0;
        for (var round = 0; round < 10; round++)
        {
            foreach (var (path, contentType, body, status) in malformed)
            {
                using var response = await gateway.PostBytesAsync(path, body, contentType, TestKeys.Beta);
                ((int)response.StatusCode).ShouldBe(status, $"{path}: {await response.Content.ReadAsStringAsync()}");
            }

            foreach (var (path, body) in new[] { ("/v1/chat/completions", Requests.Chat(GptModel, "hello")), ("/v1/messages", Requests.Messages(ClaudeModel, "hello")) })
            {
                using var response = await gateway.PostAsync(path, body, TestKeys.Alpha);
                response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
                response.Headers.GetValues("x-gateway-provider").Single().ShouldBe(path == "/v1/messages" ? AnthropicPrimary : OpenAIPrimary);
                served++;
            }
        }

        served.ShouldBe(20);
        foreach (var provider in gateway.Services.GetRequiredService<ProviderDirectory>().All)
        {
            provider.CircuitBreaker.CircuitState.ShouldBe(CircuitState.Closed, provider.Name);
        }

        var metrics = await gateway.ScrapeAsync();
        metrics.Named("llm_circuit_state").ShouldAllBe(sample => sample.Value == 0);
        metrics.Sum("llm_retries_total").ShouldBe(0);
        metrics.Sum("llm_failovers_total").ShouldBe(0);
        metrics.Value("llm_account_requests_total", ("account", "beta")).ShouldBe(100);
        // The only malformed requests a provider saw are the ten without max_tokens, which only it can judge; it said 400.
        metrics.Named("llm_errors_total").Where(sample => sample.Labels["provider"] != "none" && sample.Value > 0)
            .Select(sample => $"{sample.Labels["error_type"]}/{sample.Labels["provider"]}={sample.Value}").ShouldBe([$"bad_request/{AnthropicPrimary}=10"]);
        metrics.Value("llm_errors_total", ("error_type", "bad_request"), ("provider", "none")).ShouldBe(90);
        metrics.Value("llm_requests_total", ("surface", "openai_chat"), ("provider", OpenAIPrimary), ("model", GptModel), ("status", "200")).ShouldBe(10);
        metrics.Value("llm_requests_total", ("surface", "anthropic_messages"), ("provider", AnthropicPrimary), ("model", ClaudeModel), ("status", "200")).ShouldBe(10);
    }

    // Ten kinds of bad request, each with the status the gateway must answer.
    private static (string Path, string ContentType, byte[] Body, int Status)[] MalformedRequests()
    {
        const string Json = "application/json";
        byte[] Text(string text) => Encoding.UTF8.GetBytes(text);
        return
        [
            ("/v1/chat/completions", Json, [.. Text("{\"model\":\"gpt-test\",\"messages\":[{\"role\":\"user\",\"content\":\""), 0xff, 0xfe, .. Text("\"}]}")], 400),
            ("/v1/chat/completions", Json, Text("{\"model\":\"gpt-test\",\"messages\":[{\"role\":\"user\",\"content\":\"\\ud800\"}]}"), 400),
            ("/v1/responses", Json, Text("{\"model\":\"gpt-test\",\"input\":\"\\udfff\"}"), 400),
            ("/v1/messages", Json, Text("{\"model\":\"claude-test\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"\\ud83d\"}]}"), 400),
            ("/v1/chat/completions", Json, Text("{\"model\":\"gpt-test\",\"stream\":\"yes\",\"messages\":[]}"), 400),
            ("/v1/chat/completions", Json, Text("{\"model\":\"gpt-test\",\"max_tokens\":-5,\"messages\":[]}"), 400),
            ("/v1/responses", Json, Text("{\"model\":\"gpt-test\",\"max_output_tokens\":1e400,\"input\":\"hi\"}"), 400),
            ("/v1/chat/completions", "text/plain", Text("{\"model\":\"gpt-test\",\"messages\":[]}"), 415),
            ("/v1/chat/completions", Json, Text($"{{\"model\":\"{new string('m', 100 * 1024)}\",\"messages\":[]}}"), 404),
            ("/v1/messages", Json, Text("{\"model\":\"claude-test\",\"messages\":[{\"role\":\"user\",\"content\":\"no max_tokens\"}]}"), 400),
        ];
    }

    // Each request reached the scripted provider once (no retry) and was relayed as its answer: counted as the
    // client's bad request, never as a provider fault, so the breaker stayed closed and nothing failed over.
    private static async Task<MetricSamples> ShouldHaveBeenRelayedOnceEachWithTheBreakerClosedAsync(TestGateway gateway, ScriptedUpstream upstream, int requests)
    {
        upstream.Requests.Count.ShouldBe(requests, "each request reached the provider once: no retry");
        gateway.Provider(Scripted).CircuitBreaker.CircuitState.ShouldBe(CircuitState.Closed);
        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_circuit_state", ("provider", Scripted)).ShouldBe(0);
        metrics.Sum("llm_retries_total").ShouldBe(0);
        metrics.Sum("llm_failovers_total").ShouldBe(0);
        metrics.Value("llm_errors_total", ("error_type", "bad_request"), ("provider", Scripted)).ShouldBe(requests);
        return metrics;
    }

    private static Task<TestGateway> StartAsync(ScriptedUpstream upstream) =>
        TestGateway.StartAsync(settings => settings
            .RealProvider(Scripted, "OpenAI", upstream.BaseUri, TestKeys.Upstream)
            .Model(ScriptedModel, Scripted, OpenAISecondary));
}
