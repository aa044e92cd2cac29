using System.Text;
using System.Text.Json;
using Gateway.Configuration;
using Gateway.Surfaces;

namespace Gateway.Tests.Surfaces;

public class LlmRequestTests
{
    [TestCase("{\"model\":\"m\",\"stream\":true,\"messages\":[]}", "{\"stream_options\":{\"include_usage\":true},\"model\":\"m\",\"stream\":true,\"messages\":[]}")]
    [TestCase("  {\"model\":\"m\",\"stream\":true,\"messages\":[],\"stream_options\":{}}", "{\"model\":\"m\",\"stream\":true,\"messages\":[],\"stream_options\":{\"include_usage\":true}}")]
    [TestCase("{\"model\":\"m\",\"stream\":true,\"messages\":[],\"stream_options\":{\"include_usage\":false}}", "{\"model\":\"m\",\"stream\":true,\"messages\":[],\"stream_options\":{\"include_usage\":true}}")]
    public void Streaming_chat_request_is_rewritten_to_ask_for_usage(string body, string forwarded)
    {
        LlmRequest.TryParse(Encoding.UTF8.GetBytes(body), ApiSurface.OpenAIChat, askForStreamUsage: true, GatewayOptions.DefaultMaxOutputTokens, out var request, out _).ShouldBeTrue();

        Encoding.UTF8.GetString(request!.ForwardBody).ShouldBe(forwarded);
        request.Stream.ShouldBeTrue();
    }

    [TestCase("{\"model\":\"m\",\"stream\":true,\"messages\":[],\"stream_options\":{\"include_usage\":true}}", true)]
    [TestCase("{\"model\":\"m\",\"stream\":false,\"messages\":[]}", true)]
    [TestCase("{\"model\":\"m\",\"stream\":true,\"messages\":[]}", false)]
    public void Request_that_needs_no_rewrite_is_forwarded_as_the_client_sent_it(string body, bool askForStreamUsage)
    {
        var bytes = Encoding.UTF8.GetBytes(body);

        LlmRequest.TryParse(bytes, ApiSurface.OpenAIChat, askForStreamUsage, GatewayOptions.DefaultMaxOutputTokens, out var request, out _).ShouldBeTrue();

        request!.ForwardBody.ShouldBeSameAs(bytes);
    }

    [Test]
    public void Responses_and_messages_requests_are_never_rewritten()
    {
        var responses = Encoding.UTF8.GetBytes("{\"model\":\"m\",\"stream\":true,\"input\":\"hi\"}");
        var messages = Encoding.UTF8.GetBytes("{\"model\":\"m\",\"stream\":true,\"max_tokens\":5,\"messages\":[]}");

        LlmRequest.TryParse(responses, ApiSurface.OpenAIResponses, true, GatewayOptions.DefaultMaxOutputTokens, out var responsesRequest, out _).ShouldBeTrue();
        LlmRequest.TryParse(messages, ApiSurface.AnthropicMessages, true, GatewayOptions.DefaultMaxOutputTokens, out var messagesRequest, out _).ShouldBeTrue();

        responsesRequest!.ForwardBody.ShouldBeSameAs(responses);
        messagesRequest!.ForwardBody.ShouldBeSameAs(messages);
    }
}
