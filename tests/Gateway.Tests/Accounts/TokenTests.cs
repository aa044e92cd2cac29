using System.Net;
using System.Text.Json;
using static Gateway.Tests.Support.GatewaySettings;

namespace Gateway.Tests.Accounts;

public class TokenTests
{
    [Test]
    public async Task Issued_token_authenticates_as_its_account_until_revoked_and_both_are_counted()
    {
        await using var gateway = await TestGateway.StartAsync();

        using var issued = await gateway.SendAsync(HttpMethod.Post, "/v1/tokens", TestKeys.Alpha, "{\"name\":\"ci-bot\"}");
        issued.StatusCode.ShouldBe(HttpStatusCode.Created);
        using var body = JsonDocument.Parse(await issued.Content.ReadAsStringAsync());
        var id = body.RootElement.GetProperty("id").GetString()!;
        var token = body.RootElement.GetProperty("token").GetString()!;
        id.ShouldStartWith("tok_");
        token.ShouldStartWith("gwt-");
        body.RootElement.GetProperty("account").GetString().ShouldBe("alpha");
        body.RootElement.GetProperty("name").GetString().ShouldBe("ci-bot");
        body.RootElement.GetProperty("expires_at").ValueKind.ShouldBe(JsonValueKind.Null);
        issued.Headers.Location!.OriginalString.ShouldBe($"/v1/tokens/{id}");

        using (var chat = await gateway.PostAsync("/v1/chat/completions", Requests.Chat(GptModel, "hello"), token))
        {
            chat.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var listed = await gateway.GetJsonAsync("/v1/tokens", TestKeys.Alpha);
        listed.GetProperty("data").EnumerateArray().Select(entry => entry.GetProperty("id").GetString()).ShouldBe([id]);
        listed.GetRawText().ShouldNotContain(token);
        (await gateway.GetJsonAsync("/v1/tokens", TestKeys.Beta)).GetProperty("data").GetArrayLength().ShouldBe(0);

        using (var byToken = await gateway.SendAsync(HttpMethod.Post, "/v1/tokens", token))
        {
            byToken.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await byToken.Content.ReadAsStringAsync()).ShouldContain("\"code\":\"insufficient_permissions\"");
        }

        using (var byOtherAccount = await gateway.SendAsync(HttpMethod.Delete, $"/v1/tokens/{id}", TestKeys.Beta))
        {
            byOtherAccount.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }

        using (var revoked = await gateway.SendAsync(HttpMethod.Delete, $"/v1/tokens/{id}", TestKeys.Alpha))
        {
            revoked.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        using (var afterRevoke = await gateway.PostAsync("/v1/chat/completions", Requests.Chat(GptModel, "hello"), token))
        {
            afterRevoke.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        using (var again = await gateway.SendAsync(HttpMethod.Delete, $"/v1/tokens/{id}", TestKeys.Alpha))
        {
            again.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }

        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_gateway_tokens_issued_total").ShouldBe(1);
        metrics.Value("llm_gateway_tokens_revoked_total").ShouldBe(1);
        metrics.Value("llm_account_requests_total", ("account", "alpha")).ShouldBe(1);
        metrics.Value("llm_requests_total", ("surface", "openai_chat"), ("provider", "none"), ("model", "none"), ("status", "401")).ShouldBe(1);
    }

    [TestCase("{\"expires_in_seconds\": 0}", "invalid_request", "'expires_in_seconds' must be positive, or left out for a token that lasts until revoked.")]
    [TestCase("{\"name\": ", "invalid_json", "The request body is not valid JSON: ")]
    public async Task Invalid_token_request_gets_400_and_issues_nothing(string body, string code, string message)
    {
        await using var gateway = await TestGateway.StartAsync();

        using var response = await gateway.SendAsync(HttpMethod.Post, "/v1/tokens", TestKeys.Alpha, body);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        error.RootElement.GetProperty("error").GetProperty("code").GetString().ShouldBe(code);
        error.RootElement.GetProperty("error").GetProperty("message").GetString()!.ShouldStartWith(message);
        (await gateway.ScrapeAsync()).Value("llm_gateway_tokens_issued_total").ShouldBe(0);
    }

    [Test]
    public async Task Expired_token_is_refused()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var issued = await gateway.SendAsync(HttpMethod.Post, "/v1/tokens", TestKeys.Alpha, "{\"expires_in_seconds\": 1}");
        using var body = JsonDocument.Parse(await issued.Content.ReadAsStringAsync());
        var token = body.RootElement.GetProperty("token").GetString()!;

        await Eventually.TrueAsync(
            async () =>
            {
                using var response = await gateway.SendAsync(HttpMethod.Get, "/v1/models", token);
                return response.StatusCode == HttpStatusCode.Unauthorized;
            },
            "the one-second token expires",
            TimeSpan.FromSeconds(10));
    }

    [Test]
    public async Task Token_with_a_lifetime_reports_its_expiry()
    {
        await using var gateway = await TestGateway.StartAsync();

        using var issued = await gateway.SendAsync(HttpMethod.Post, "/v1/tokens", TestKeys.Beta, "{\"expires_in_seconds\": 3600}");

        using var body = JsonDocument.Parse(await issued.Content.ReadAsStringAsync());
        var created = body.RootElement.GetProperty("created_at").GetDateTimeOffset();
        body.RootElement.GetProperty("expires_at").GetDateTimeOffset().ShouldBe(created.AddHours(1));
        body.RootElement.GetProperty("account").GetString().ShouldBe("beta");
    }
}
