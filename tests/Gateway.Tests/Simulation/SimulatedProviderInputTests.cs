using System.Net;
using System.Net.Http.Headers;
using System.Text;
using static Metrics.Testing.GatewayHarness.GatewaySettings;

namespace Gateway.Tests.Simulation;

public class SimulatedProviderInputTests
{
    [Test]
    public async Task Simulated_provider_answers_text_that_is_not_valid_unicode_with_400_like_a_real_api_never_500()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var client = new HttpClient { BaseAddress = gateway.Provider(AnthropicPrimary).BaseUri };
        var bodies = new[]
        {
            (Bytes: (byte[])[.. Encoding.UTF8.GetBytes("{\"model\":\"claude-test\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\""), 0xc3, .. Encoding.UTF8.GetBytes("\"}]}")],
             Message: "The request body is not valid UTF-8: the byte at offset 76 does not start or continue a character."),
            (Bytes: Encoding.UTF8.GetBytes("{\"model\":\"claude-test\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"\\ud800\"}]}"),
             Message: "The request body is not valid Unicode: the escape at offset 76 is half of a surrogate pair."),
        };

        foreach (var (bytes, message) in bodies)
        {
            using var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await client.PostAsync("v1/messages", content);

            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await response.Content.ReadAsStringAsync()).ShouldBe($"{{\"type\":\"error\",\"error\":{{\"type\":\"invalid_request_error\",\"message\":\"{message}\"}}}}");
        }
    }
}
