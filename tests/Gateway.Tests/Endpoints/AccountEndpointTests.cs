using System.Net;
using System.Text.Json;
using static Metrics.Testing.GatewayHarness.GatewaySettings;

namespace Gateway.Tests.Endpoints;

public class AccountEndpointTests
{
    private const string LimitedKey = "test-key-limited-77c1";

    [Test]
    public async Task Tenant_sees_its_own_account_as_operators_see_it_and_nothing_of_another()
    {
        await using var gateway = await TestGateway.StartAsync(settings => settings.Account("limited", LimitedKey, requestsPerMinute: 1, burst: 2));
        for (var i = 0; i < 3; i++)
        {
            (await gateway.PostAsync("/v1/chat/completions", Requests.Chat(GptModel, "hello"), TestKeys.Alpha)).Dispose();
        }

        (await gateway.PostAsync("/v1/messages", Requests.Messages(ClaudeModel, "hello"), TestKeys.Beta)).Dispose();
        for (var i = 0; i < 3; i++)
        {
            (await gateway.PostAsync("/v1/chat/completions", Requests.Chat(GptModel, "hello"), LimitedKey)).Dispose();
        }

        using var issued = await gateway.SendAsync(HttpMethod.Post, "/v1/tokens", TestKeys.Beta, "{}");
        var betaToken = JsonDocument.Parse(await issued.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!;

        var alpha = await BodyAsync(gateway, TestKeys.Alpha);
        var beta = await BodyAsync(gateway, betaToken);
        var limited = await BodyAsync(gateway, LimitedKey);

        // Prompt tokens: 3 + ceil(len("user") / 4) + ceil(len("hello") / 4) = 6 a request; 8 completion tokens each.
        alpha.ShouldBe("{\"name\":\"alpha\",\"requests\":3,\"rate_limited\":0,\"prompt_tokens\":18,\"completion_tokens\":24}");
        beta.ShouldBe("{\"name\":\"beta\",\"requests\":1,\"rate_limited\":0,\"prompt_tokens\":6,\"completion_tokens\":8}");
        limited.ShouldBe("{\"name\":\"limited\",\"requests\":3,\"rate_limited\":1,\"prompt_tokens\":12,\"completion_tokens\":16}");
        var operators = await gateway.ManagementJsonAsync("/v1/accounts");
        foreach (var body in new[] { alpha, beta, limited })
        {
            var mine = JsonDocument.Parse(body).RootElement;
            operators.GetProperty("accounts").EnumerateArray()
                .Single(account => account.GetProperty("name").GetString() == mine.GetProperty("name").GetString())
                .GetRawText().ShouldBe(mine.GetRawText());
        }
    }

    [Test]
    public async Task Own_account_needs_a_key_and_answers_without_caching()
    {
        await using var gateway = await TestGateway.StartAsync();

        using var anonymous = await gateway.SendAsync(HttpMethod.Get, "/v1/accounts/me", key: null);
        using var mine = await gateway.SendAsync(HttpMethod.Get, "/v1/accounts/me", TestKeys.Alpha);

        anonymous.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.Content.ReadAsStringAsync()).ShouldBe(
            "{\"error\":{\"message\":\"Missing API key. Send it as 'Authorization: Bearer <key>' or 'x-api-key: <key>'.\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}");
        mine.StatusCode.ShouldBe(HttpStatusCode.OK);
        mine.Headers.CacheControl!.NoStore.ShouldBeTrue();
    }

    private static async Task<string> BodyAsync(TestGateway gateway, string key)
    {
        using var response = await gateway.SendAsync(HttpMethod.Get, "/v1/accounts/me", key);
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        return body;
    }
}
