using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using static Metrics.Testing.GatewayHarness.GatewaySettings;

namespace Gateway.Tests.Accounts;

public class KeySecrecyTests
{
    [Test]
    public async Task No_key_or_token_appears_in_metrics_json_endpoints_responses_or_trace_logs()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(async context =>
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await context.Response.WriteAsync("{\"error\":{\"message\":\"upstream exploded\"}}");
        });
        await using var gateway = await TestGateway.StartAsync(settings =>
        {
            settings.LogLevel = LogLevel.Trace;
            settings.RealProvider("real-provider", "OpenAI", upstream.BaseUri, TestKeys.Upstream)
                .Model("gpt-real", "real-provider", OpenAISecondary)
                .Account("limited", "test-key-limited-31aa", requestsPerMinute: 1, burst: 1);
        });
        var outputs = new StringBuilder();

        async Task RecordAsync(HttpResponseMessage response)
        {
            outputs.Append(response.Headers).Append(response.Content.Headers).AppendLine(await response.Content.ReadAsStringAsync());
            response.Dispose();
        }

        using var issued = await gateway.SendAsync(HttpMethod.Post, "/v1/tokens", TestKeys.Alpha, "{\"name\":\"secret-check\"}");
        var issuedBody = await issued.Content.ReadAsStringAsync();
        var token = JsonDocument.Parse(issuedBody).RootElement.GetProperty("token").GetString()!;
        foreach (var key in TestKeys.All)
        {
            issuedBody.ShouldNotContain(key);
        }

        await RecordAsync(await gateway.PostAsync("/v1/chat/completions", Requests.Chat("gpt-real", "hello"), TestKeys.Alpha));
        await RecordAsync(await gateway.PostAsync("/v1/chat/completions", Requests.Chat(GptModel, "hello", stream: true), token));
        await RecordAsync(await gateway.PostAsync("/v1/responses", Requests.Responses(GptModel, "hello"), TestKeys.Beta));
        await RecordAsync(await gateway.PostAsync("/v1/messages", Requests.Messages(ClaudeModel, "hello", stream: true), TestKeys.Beta));
        await RecordAsync(await gateway.PostAsync("/v1/messages", "{ not json", TestKeys.Beta));
        await RecordAsync(await gateway.PostAsync("/v1/chat/completions", Requests.Chat(GptModel, "hello"), TestKeys.Alpha + "x"));
        await RecordAsync(await gateway.PostAsync("/v1/chat/completions", Requests.Chat(GptModel, "hello"), "test-key-limited-31aa"));
        await RecordAsync(await gateway.PostAsync("/v1/chat/completions", Requests.Chat(GptModel, "hello"), "test-key-limited-31aa"));
        await RecordAsync(await gateway.SendAsync(HttpMethod.Get, "/v1/models", token));
        await RecordAsync(await gateway.SendAsync(HttpMethod.Get, "/v1/tokens", TestKeys.Alpha));
        await RecordAsync(await gateway.SendAsync(HttpMethod.Get, "/v1/accounts/me", token));
        foreach (var path in new[] { "/simulator/providers", "/v1/stats", "/v1/accounts", "/health", "/v1/usage" })
        {
            await RecordAsync(await gateway.SendManagementAsync(HttpMethod.Get, path));
        }

        outputs.AppendLine(await gateway.ScrapeTextAsync());
        outputs.AppendLine(await gateway.ScrapeTextAsync(TestGateway.OpenMetricsAccept));
        upstream.Requests.ShouldAllBe(request => request.Authorization == $"Bearer {TestKeys.Upstream}");

        var everything = outputs + gateway.Logs.All;
        gateway.Logs.Entries.Count.ShouldBeGreaterThan(100, "trace logging should have recorded the whole exchange");
        // HttpClient logs request headers at trace level with their values redacted: the check sees them.
        gateway.Logs.All.ShouldContain("Authorization: *");
        everything.ShouldContain("account=\"limited\"");
        everything.ShouldContain("real-provider");
        foreach (var secret in TestKeys.All.Append(token).Append("test-key-limited-31aa"))
        {
            everything.ShouldNotContain(secret);
        }
    }
}
