using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static Metrics.Testing.GatewayHarness.GatewaySettings;

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

    private const string LifetimeRule = "The 'expires_in_seconds' field must be a whole number from 60 to 31536000, or left out for a token that lasts until revoked.";

    [TestCase("{\"expires_in_seconds\": 0}", "expires_in_seconds", LifetimeRule)]
    [TestCase("{\"expires_in_seconds\": 59}", "expires_in_seconds", LifetimeRule)]
    [TestCase("{\"expires_in_seconds\": -1}", "expires_in_seconds", LifetimeRule)]
    [TestCase("{\"expires_in_seconds\": 31536001}", "expires_in_seconds", LifetimeRule)]
    [TestCase("{\"expires_in_seconds\": 300000000000}", "expires_in_seconds", LifetimeRule)]
    [TestCase("{\"expires_in_seconds\": 1e400}", "expires_in_seconds", LifetimeRule)]
    [TestCase("{\"expires_in_seconds\": 90.5}", "expires_in_seconds", LifetimeRule)]
    [TestCase("{\"expires_in_seconds\": \"3600\"}", "expires_in_seconds", LifetimeRule)]
    [TestCase("{\"name\": 42}", "name", "The 'name' field must be a string of at most 200 characters.")]
    [TestCase("{\"scope\": \"admin\"}", "scope", "Unknown field 'scope'; the body takes only 'name' and 'expires_in_seconds'.")]
    [TestCase("[]", null, "The request body must be a JSON object.")]
    public async Task Invalid_token_request_gets_400_naming_the_field_and_issues_nothing(string body, string? param, string message)
    {
        await using var gateway = await TestGateway.StartAsync();

        using var response = await gateway.SendAsync(HttpMethod.Post, "/v1/tokens", TestKeys.Alpha, body);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldBe(
            $"{{\"error\":{{\"message\":\"{message}\",\"type\":\"invalid_request_error\",\"param\":{(param is null ? "null" : $"\"{param}\"")},\"code\":\"invalid_request\"}}}}");
        (await gateway.ScrapeAsync()).Value("llm_gateway_tokens_issued_total").ShouldBe(0);
    }

    [Test]
    public async Task Malformed_or_mislabelled_token_request_gets_the_gateways_own_error_never_a_parser_message()
    {
        await using var gateway = await TestGateway.StartAsync();

        using var malformed = await gateway.SendAsync(HttpMethod.Post, "/v1/tokens", TestKeys.Alpha, "{\"name\": ");
        using var plain = new HttpRequestMessage(HttpMethod.Post, "/v1/tokens") { Content = new StringContent("{}", System.Text.Encoding.UTF8, "text/plain") };
        plain.Headers.Authorization = new("Bearer", TestKeys.Alpha);
        using var mislabelled = await gateway.Client.SendAsync(plain);

        malformed.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await malformed.Content.ReadAsStringAsync()).ShouldBe(
            "{\"error\":{\"message\":\"The request body is not valid JSON: the error is at line 1, byte 10.\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_json\"}}");
        mislabelled.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        (await mislabelled.Content.ReadAsStringAsync()).ShouldBe(
            "{\"error\":{\"message\":\"The Content-Type 'text/plain; charset=utf-8' is not JSON; send the body with 'Content-Type: application/json'.\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"unsupported_media_type\"}}");
    }

    [Test]
    public async Task Token_request_without_a_body_issues_a_token_that_lasts_until_revoked()
    {
        await using var gateway = await TestGateway.StartAsync();

        using var issued = await gateway.SendAsync(HttpMethod.Post, "/v1/tokens", TestKeys.Alpha);

        issued.StatusCode.ShouldBe(HttpStatusCode.Created);
        using var body = JsonDocument.Parse(await issued.Content.ReadAsStringAsync());
        body.RootElement.GetProperty("expires_at").ValueKind.ShouldBe(JsonValueKind.Null);
        body.RootElement.GetProperty("name").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Test]
    public async Task Account_at_its_live_token_cap_gets_400_until_it_revokes_one_and_other_accounts_are_unaffected()
    {
        await using var gateway = await TestGateway.StartAsync(settings => settings.Set("Gateway:Tokens:MaxPerAccount", "3"));
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await IssueAsync(gateway, TestKeys.Alpha, "{}"));
        }

        using var refused = await gateway.SendAsync(HttpMethod.Post, "/v1/tokens", TestKeys.Alpha, "{}");
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await refused.Content.ReadAsStringAsync()).ShouldBe(
            "{\"error\":{\"message\":\"Account 'alpha' already holds 3 live tokens, the most it may; revoke one with DELETE /v1/tokens/{id} first.\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"token_limit_reached\"}}");
        await IssueAsync(gateway, TestKeys.Beta, "{}");

        (await gateway.GetJsonAsync("/v1/tokens", TestKeys.Alpha)).GetProperty("data").EnumerateArray().Select(token => token.GetProperty("id").GetString()).ShouldBe(ids);
        using (var revoked = await gateway.SendAsync(HttpMethod.Delete, $"/v1/tokens/{ids[1]}", TestKeys.Alpha))
        {
            revoked.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        var replacement = await IssueAsync(gateway, TestKeys.Alpha, "{}");
        (await gateway.GetJsonAsync("/v1/tokens", TestKeys.Alpha)).GetProperty("data").EnumerateArray().Select(token => token.GetProperty("id").GetString())
            .ShouldBe([ids[0], ids[2], replacement]);
        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_gateway_tokens_issued_total").ShouldBe(5);
        metrics.Value("llm_gateway_tokens_revoked_total").ShouldBe(1);
    }

    [Test]
    public async Task Expired_tokens_stop_working_are_purged_and_free_their_place_under_the_cap()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var gateway = await TestGateway.StartAsync(
            settings => settings.Set("Gateway:Tokens:MaxPerAccount", "2"),
            builder => builder.Services.AddSingleton<TimeProvider>(clock));
        var (shortLived, secret) = await IssueWithSecretAsync(gateway, TestKeys.Alpha, "{\"expires_in_seconds\": 60}");
        var lasting = await IssueAsync(gateway, TestKeys.Alpha, "{\"expires_in_seconds\": 3600}");

        clock.Advance(TimeSpan.FromSeconds(59));
        using (var stillValid = await gateway.SendAsync(HttpMethod.Get, "/v1/models", secret))
        {
            stillValid.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        clock.Advance(TimeSpan.FromSeconds(1));
        using (var expired = await gateway.SendAsync(HttpMethod.Get, "/v1/models", secret))
        {
            expired.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        (await gateway.GetJsonAsync("/v1/tokens", TestKeys.Alpha)).GetProperty("data").EnumerateArray().Select(token => token.GetProperty("id").GetString()).ShouldBe([lasting]);
        var third = await IssueAsync(gateway, TestKeys.Alpha, "{}");
        (await gateway.GetJsonAsync("/v1/tokens", TestKeys.Alpha)).GetProperty("data").EnumerateArray().Select(token => token.GetProperty("id").GetString()).ShouldBe([lasting, third]);
        using (var revokeExpired = await gateway.SendAsync(HttpMethod.Delete, $"/v1/tokens/{shortLived}", TestKeys.Alpha))
        {
            revokeExpired.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }
    }

    [Test]
    public async Task Listing_shows_only_the_callers_own_live_tokens_and_never_more_than_the_cap()
    {
        await using var gateway = await TestGateway.StartAsync(settings => settings.Set("Gateway:Tokens:MaxPerAccount", "5"));
        for (var i = 0; i < 8; i++)
        {
            using var response = await gateway.SendAsync(HttpMethod.Post, "/v1/tokens", TestKeys.Alpha, $"{{\"name\":\"bot-{i}\"}}");
            response.StatusCode.ShouldBe(i < 5 ? HttpStatusCode.Created : HttpStatusCode.BadRequest);
        }

        var alpha = await gateway.GetJsonAsync("/v1/tokens", TestKeys.Alpha);
        alpha.GetProperty("data").EnumerateArray().Select(token => token.GetProperty("name").GetString()).ShouldBe(["bot-0", "bot-1", "bot-2", "bot-3", "bot-4"]);
        alpha.GetProperty("data").EnumerateArray().ShouldAllBe(token => token.GetProperty("account").GetString() == "alpha");
        (await gateway.GetJsonAsync("/v1/tokens", TestKeys.Beta)).GetRawText().ShouldBe("{\"data\":[]}");
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

    private static async Task<string> IssueAsync(TestGateway gateway, string key, string body) => (await IssueWithSecretAsync(gateway, key, body)).Id;

    private static async Task<(string Id, string Secret)> IssueWithSecretAsync(TestGateway gateway, string key, string body)
    {
        using var issued = await gateway.SendAsync(HttpMethod.Post, "/v1/tokens", key, body);
        var text = await issued.Content.ReadAsStringAsync();
        issued.StatusCode.ShouldBe(HttpStatusCode.Created, text);
        using var json = JsonDocument.Parse(text);
        return (json.RootElement.GetProperty("id").GetString()!, json.RootElement.GetProperty("token").GetString()!);
    }
}
