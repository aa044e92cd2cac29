using System.Net;
using System.Text.Json;
using static Metrics.Testing.GatewayHarness.GatewaySettings;

namespace Gateway.Tests.Accounts;

public class RateLimitTests
{
    private const string LimitedKey = "test-key-limited-0b7e";

    [Test]
    public async Task Account_over_its_burst_gets_429_with_retry_after_in_each_apis_shape_and_is_counted()
    {
        await using var gateway = await TestGateway.StartAsync(settings => settings.Account("limited", LimitedKey, requestsPerMinute: 1, burst: 2));

        for (var i = 0; i < 2; i++)
        {
            using var allowed = await gateway.PostAsync("/v1/chat/completions", Requests.Chat(GptModel, "hello"), LimitedKey);
            allowed.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        using var refused = await gateway.PostAsync("/v1/chat/completions", Requests.Chat(GptModel, "hello"), LimitedKey);
        using var refusedAnthropic = await gateway.PostAsync("/v1/messages", Requests.Messages(ClaudeModel, "hello"), LimitedKey);
        using var otherAccount = await gateway.PostAsync("/v1/chat/completions", Requests.Chat(GptModel, "hello"), TestKeys.Alpha);

        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        retryAfter.ShouldBeInRange(1, 60);
        using (var body = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()))
        {
            var error = body.RootElement.GetProperty("error");
            error.GetProperty("message").GetString().ShouldBe($"Rate limit exceeded for account 'limited'. Retry after {retryAfter} s.");
            error.GetProperty("type").GetString().ShouldBe("requests");
            error.GetProperty("code").GetString().ShouldBe("rate_limit_exceeded");
        }

        refusedAnthropic.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        refusedAnthropic.Headers.Contains("Retry-After").ShouldBeTrue();
        (await refusedAnthropic.Content.ReadAsStringAsync()).ShouldStartWith("{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Rate limit exceeded for account 'limited'.");
        otherAccount.StatusCode.ShouldBe(HttpStatusCode.OK);

        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_rate_limited_total", ("account", "limited")).ShouldBe(2);
        metrics.Value("llm_rate_limited_total", ("account", "alpha")).ShouldBe(0);
        metrics.Value("llm_account_requests_total", ("account", "limited")).ShouldBe(4);
        metrics.Value("llm_account_requests_total", ("account", "alpha")).ShouldBe(1);
        metrics.Value("llm_errors_total", ("error_type", "rate_limited"), ("provider", "none")).ShouldBe(2);
        metrics.Value("llm_requests_total", ("surface", "openai_chat"), ("provider", "none"), ("model", "none"), ("status", "429")).ShouldBe(1);
        metrics.Value("llm_requests_total", ("surface", "anthropic_messages"), ("provider", "none"), ("model", "none"), ("status", "429")).ShouldBe(1);
        metrics.Value("llm_requests_total", ("surface", "openai_chat"), ("provider", OpenAIPrimary), ("model", GptModel), ("status", "200")).ShouldBe(3);

        var accounts = await gateway.ManagementJsonAsync("/v1/accounts");
        var limited = accounts.GetProperty("accounts").EnumerateArray().Single(account => account.GetProperty("name").GetString() == "limited");
        limited.GetProperty("requests").GetInt64().ShouldBe(4);
        limited.GetProperty("rate_limited").GetInt64().ShouldBe(2);
    }

    [Test]
    public async Task Rate_limit_applies_only_to_llm_requests_not_to_models_own_usage_or_operator_endpoints()
    {
        await using var gateway = await TestGateway.StartAsync(settings => settings.Account("limited", LimitedKey, requestsPerMinute: 1, burst: 1));

        for (var i = 0; i < 3; i++)
        {
            using var models = await gateway.SendAsync(HttpMethod.Get, "/v1/models", LimitedKey);
            models.StatusCode.ShouldBe(HttpStatusCode.OK);
            using var me = await gateway.SendAsync(HttpMethod.Get, "/v1/accounts/me", LimitedKey);
            me.StatusCode.ShouldBe(HttpStatusCode.OK);
            using var stats = await gateway.SendManagementAsync(HttpMethod.Get, "/v1/stats");
            stats.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        (await gateway.ScrapeAsync()).Sum("llm_rate_limited_total").ShouldBe(0);
    }
}
