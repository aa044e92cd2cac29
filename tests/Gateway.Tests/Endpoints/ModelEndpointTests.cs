using System.Net;
using System.Text.Json;
using static Metrics.Testing.GatewayHarness.GatewaySettings;

namespace Gateway.Tests.Endpoints;

public class ModelEndpointTests
{
    [Test]
    public async Task One_model_is_retrieved_in_openai_or_anthropic_shape()
    {
        await using var gateway = await TestGateway.StartAsync();

        var openAI = await gateway.GetJsonAsync($"/v1/models/{GptModel}", TestKeys.Alpha);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/models/{ClaudeModel}");
        request.Headers.Add("x-api-key", TestKeys.Alpha);
        request.Headers.Add("anthropic-version", "2023-06-01");
        using var response = await gateway.Client.SendAsync(request);
        using var anthropic = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        openAI.EnumerateObject().Select(property => property.Name).ShouldBe(["id", "object", "created", "owned_by"]);
        (openAI.GetProperty("id").GetString(), openAI.GetProperty("object").GetString(), openAI.GetProperty("owned_by").GetString()).ShouldBe((GptModel, "model", OpenAIPrimary));
        anthropic.RootElement.EnumerateObject().Select(property => property.Name).ShouldBe(["type", "id", "display_name", "created_at"]);
        (anthropic.RootElement.GetProperty("type").GetString(), anthropic.RootElement.GetProperty("id").GetString()).ShouldBe(("model", ClaudeModel));
        anthropic.RootElement.GetProperty("created_at").GetDateTimeOffset().ToUnixTimeSeconds().ShouldBe(openAI.GetProperty("created").GetInt64());
    }

    [Test]
    public async Task Unknown_model_is_a_404_with_a_body_in_the_callers_shape()
    {
        await using var gateway = await TestGateway.StartAsync();

        using var openAI = await gateway.SendAsync(HttpMethod.Get, "/v1/models/ft:gpt-4o:acme:custom:abc123");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models/claude-nope");
        request.Headers.Add("x-api-key", TestKeys.Alpha);
        using var anthropic = await gateway.Client.SendAsync(request);

        openAI.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await openAI.Content.ReadAsStringAsync()).ShouldBe(
            "{\"error\":{\"message\":\"The model 'ft:gpt-4o:acme:custom:abc123' does not exist\",\"type\":\"invalid_request_error\",\"param\":\"model\",\"code\":\"model_not_found\"}}");
        anthropic.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await anthropic.Content.ReadAsStringAsync()).ShouldBe("{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"model: claude-nope\"}}");
    }

    [Test]
    public async Task Long_unknown_model_id_is_echoed_cut_to_256_characters_in_both_shapes()
    {
        await using var gateway = await TestGateway.StartAsync();
        var id = new string('m', 4000);

        using var openAI = await gateway.SendAsync(HttpMethod.Get, "/v1/models/" + id);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models/" + id);
        request.Headers.Add("x-api-key", TestKeys.Alpha);
        using var anthropic = await gateway.Client.SendAsync(request);

        var cut = new string('m', 256) + "…";
        openAI.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await openAI.Content.ReadAsStringAsync()).ShouldBe(
            $"{{\"error\":{{\"message\":\"The model '{cut}' does not exist\",\"type\":\"invalid_request_error\",\"param\":\"model\",\"code\":\"model_not_found\"}}}}");
        anthropic.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await anthropic.Content.ReadAsStringAsync()).ShouldBe($"{{\"type\":\"error\",\"error\":{{\"type\":\"not_found_error\",\"message\":\"model: {cut}\"}}}}");
    }

    [TestCase("?limit=1", new[] { ClaudeModel }, true)]
    [TestCase("?limit=1&after_id=claude-test", new[] { GptModel }, false)]
    [TestCase("?before_id=gpt-test", new[] { ClaudeModel }, false)]
    [TestCase("", new[] { ClaudeModel, GptModel }, false)]
    public async Task Anthropic_model_list_pages_by_limit_and_ids(string query, string[] ids, bool hasMore)
    {
        await using var gateway = await TestGateway.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models" + query);
        request.Headers.Add("x-api-key", TestKeys.Alpha);
        request.Headers.Add("anthropic-version", "2023-06-01");

        using var response = await gateway.Client.SendAsync(request);
        using var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        page.RootElement.GetProperty("data").EnumerateArray().Select(model => model.GetProperty("id").GetString()).ShouldBe(ids);
        page.RootElement.GetProperty("has_more").GetBoolean().ShouldBe(hasMore);
        page.RootElement.GetProperty("first_id").GetString().ShouldBe(ids[0]);
        page.RootElement.GetProperty("last_id").GetString().ShouldBe(ids[^1]);
    }
}
