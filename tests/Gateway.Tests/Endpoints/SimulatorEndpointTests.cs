using System.Net;
using System.Text;
using static Metrics.Testing.GatewayHarness.GatewaySettings;

namespace Gateway.Tests.Endpoints;

public class SimulatorEndpointTests
{
    private const string Modes = "healthy, failing, rate_limited, timeout";

    [Test]
    public async Task No_tenant_credential_can_flip_a_provider_from_the_public_listener()
    {
        await using var gateway = await TestGateway.StartAsync(settings => settings.Account("limited", "test-key-limited-5d20", requestsPerMinute: 1, burst: 1));
        using var issued = await gateway.SendAsync(HttpMethod.Post, "/v1/tokens", TestKeys.Beta, "{}");
        var token = System.Text.Json.JsonDocument.Parse(await issued.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!;

        foreach (var key in new[] { TestKeys.Alpha, TestKeys.Beta, "test-key-limited-5d20", token })
        {
            foreach (var provider in new[] { OpenAIPrimary, OpenAISecondary })
            {
                using var response = await gateway.SendAsync(HttpMethod.Post, $"/simulator/providers/{provider}", key, "{\"mode\":\"failing\"}");
                response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            }
        }

        using var chat = await gateway.PostAsync("/v1/chat/completions", Requests.Chat(GptModel, "hello"), TestKeys.Alpha);
        chat.StatusCode.ShouldBe(HttpStatusCode.OK);
        chat.Headers.GetValues("x-gateway-provider").Single().ShouldBe(OpenAIPrimary);
        (await gateway.ManagementJsonAsync("/simulator/providers")).GetProperty("providers").EnumerateArray()
            .ShouldAllBe(provider => provider.GetProperty("mode").GetString() == "healthy");
    }

    [TestCase("{\"mode\":99}", "mode", "The 'mode' field must be one of " + Modes + ".")]
    [TestCase("{\"mode\":\"broken\"}", "mode", "The 'mode' field must be one of " + Modes + ".")]
    [TestCase("{\"mode\":null}", "mode", "The 'mode' field must be one of " + Modes + ".")]
    [TestCase("{}", "mode", "The 'mode' field is required: one of " + Modes + ".")]
    [TestCase("{\"mode\":\"failing\",\"count\":0}", "count", "The 'count' field must be a whole number from 1 to 1000000, or left out to keep the mode until changed.")]
    [TestCase("{\"mode\":\"failing\",\"count\":1e400}", "count", "The 'count' field must be a whole number from 1 to 1000000, or left out to keep the mode until changed.")]
    [TestCase("{\"mode\":\"failing\",\"count\":\"3\"}", "count", "The 'count' field must be a whole number from 1 to 1000000, or left out to keep the mode until changed.")]
    [TestCase("{\"mode\":\"failing\",\"providers\":\"all\"}", "providers", "Unknown field 'providers'; the body takes only 'mode' and 'count'.")]
    public async Task Invalid_fault_request_gets_400_naming_what_is_allowed_and_changes_nothing(string body, string param, string message)
    {
        await using var gateway = await TestGateway.StartAsync();

        using var response = await gateway.SendManagementAsync(HttpMethod.Post, $"/simulator/providers/{OpenAIPrimary}", body);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldBe(
            $"{{\"error\":{{\"message\":\"{message}\",\"type\":\"invalid_request_error\",\"param\":\"{param}\",\"code\":\"invalid_request\"}}}}");
        (await gateway.ManagementJsonAsync($"/simulator/providers/{OpenAIPrimary}")).GetProperty("mode").GetString().ShouldBe("healthy");
    }

    [Test]
    public async Task Malformed_or_mislabelled_fault_request_gets_the_gateways_own_error()
    {
        await using var gateway = await TestGateway.StartAsync();

        using var malformed = await gateway.SendManagementAsync(HttpMethod.Post, $"/simulator/providers/{OpenAIPrimary}", "{\"mode\":");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"simulator/providers/{OpenAIPrimary}") { Content = new StringContent("{\"mode\":\"failing\"}", Encoding.UTF8, "application/x-www-form-urlencoded") };
        using var mislabelled = await gateway.Management.SendAsync(request);

        malformed.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await malformed.Content.ReadAsStringAsync()).ShouldBe(
            "{\"error\":{\"message\":\"The request body is not valid JSON: the error is at line 1, byte 9.\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_json\"}}");
        mislabelled.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        (await mislabelled.Content.ReadAsStringAsync()).ShouldBe(
            "{\"error\":{\"message\":\"The Content-Type 'application/x-www-form-urlencoded; charset=utf-8' is not JSON; send the body with 'Content-Type: application/json'.\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"unsupported_media_type\"}}");
        (await gateway.ManagementJsonAsync($"/simulator/providers/{OpenAIPrimary}")).GetProperty("mode").GetString().ShouldBe("healthy");
    }

    [Test]
    public async Task Unknown_provider_gets_404_listing_the_simulated_ones()
    {
        await using var gateway = await TestGateway.StartAsync(settings => settings
            .RealProvider("real-provider", "OpenAI", new Uri("http://127.0.0.1:9"), TestKeys.Upstream)
            .Model("gpt-real", "real-provider"));
        var list = $"The simulated providers are: {AnthropicPrimary}, {AnthropicSecondary}, {OpenAIPrimary}, {OpenAISecondary}.";

        using var unknown = await gateway.SendManagementAsync(HttpMethod.Post, $"/simulator/providers/{new string('x', 1000)}", "{\"mode\":\"failing\"}");
        using var real = await gateway.SendManagementAsync(HttpMethod.Post, "/simulator/providers/real-provider", "{\"mode\":\"failing\"}");

        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await unknown.Content.ReadAsStringAsync()).ShouldBe(
            $"{{\"error\":{{\"message\":\"No simulated provider is named '{new string('x', 256)}…'. {list}\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"not_found\"}}}}");
        real.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await real.Content.ReadAsStringAsync()).ShouldBe(
            $"{{\"error\":{{\"message\":\"Provider 'real-provider' is real (it has a BaseUrl); only simulated providers take faults. {list}\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"not_found\"}}}}");
    }

    [Test]
    public async Task Valid_fault_request_sets_the_mode_and_count_and_shows_the_state()
    {
        await using var gateway = await TestGateway.StartAsync();

        using var response = await gateway.SendManagementAsync(HttpMethod.Post, $"/simulator/providers/{OpenAIPrimary}", "{\"mode\":\"rate_limited\",\"count\":3}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var state = await gateway.ManagementJsonAsync($"/simulator/providers/{OpenAIPrimary}");
        state.GetProperty("mode").GetString().ShouldBe("rate_limited");
        state.GetProperty("remaining").GetInt32().ShouldBe(3);
        state.GetProperty("style").GetString().ShouldBe("openai");
    }
}
