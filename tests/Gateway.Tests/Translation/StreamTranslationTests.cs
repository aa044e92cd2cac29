using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gateway.Configuration;
using Gateway.Streaming;
using Gateway.Surfaces;
using Gateway.Translation;

namespace Gateway.Tests.Translation;

public partial class StreamTranslationTests
{
    private const string AnthropicEvents =
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_abc\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-x\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":12,\"output_tokens\":1}}}\n\n"
        + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
        + "event: ping\ndata: {\"type\":\"ping\"}\n\n"
        + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi é\"}}\n\n"
        + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
        + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"f\",\"input\":{}}}\n\n"
        + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"a\\\":\"}}\n\n"
        + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"1}\"}}\n\n"
        + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":1}\n\n"
        + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":9}}\n\n"
        + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";

    private const string ChatHeader = "{\"id\":\"chatcmpl-abc\",\"object\":\"chat.completion.chunk\",\"created\":0,\"model\":\"claude-x\",";

    [TestCase(1)]
    [TestCase(7)]
    [TestCase(4096)]
    public void Anthropic_events_become_openai_chat_chunks_with_the_usage_chunk_the_client_asked_for(int chunkSize)
    {
        using var transform = new AnthropicToOpenAIChatStream(new TranslationContext(ApiSurface.OpenAIChat, ProviderStyle.Anthropic) { IncludeUsage = true });

        var output = Run(transform, AnthropicEvents, chunkSize);

        output.ShouldBe(
            Chunk("{\"role\":\"assistant\",\"content\":\"\"}", null)
            + Chunk("{\"content\":\"Hi é\"}", null)
            + Chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"toolu_1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}}]}", null)
            + Chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"a\\\":\"}}]}", null)
            + Chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"1}\"}}]}", null)
            + Chunk("{}", "\"tool_calls\"")
            + "data: " + ChatHeader + "\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":9,\"total_tokens\":21}}\n\n"
            + "data: [DONE]\n\n");
        transform.Usage.Prompt.ShouldBe(12);
        transform.Usage.Completion.ShouldBe(9);
    }

    [Test]
    public void Anthropic_stream_cut_before_message_stop_ends_the_chat_stream_with_an_error_chunk()
    {
        using var transform = new AnthropicToOpenAIChatStream(new TranslationContext(ApiSurface.OpenAIChat, ProviderStyle.Anthropic));

        var output = Run(transform, AnthropicEvents[..AnthropicEvents.IndexOf("event: message_delta", StringComparison.Ordinal)], 64);

        output.ShouldEndWith("data: {\"error\":{\"message\":\"The provider's stream ended before its last event.\",\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n");
        output.ShouldNotContain("[DONE]");
    }

    [Test]
    public void Anthropic_events_become_responses_events_numbered_in_order_ending_with_the_whole_response()
    {
        var context = new TranslationContext(ApiSurface.OpenAIResponses, ProviderStyle.Anthropic);
        context.Echo["max_output_tokens"] = "64"u8.ToArray();
        using var transform = new AnthropicToOpenAIResponsesStream(context);

        var events = Events(Run(transform, AnthropicEvents, 5));

        events.Select(e => e.Name).ShouldBe([
            "response.created", "response.in_progress",
            "response.output_item.added", "response.content_part.added", "response.output_text.delta",
            "response.output_text.done", "response.content_part.done", "response.output_item.done",
            "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.delta",
            "response.function_call_arguments.done", "response.output_item.done", "response.completed",
        ]);
        events.Select(e => e.Data.GetProperty("sequence_number").GetInt32()).ShouldBe(Enumerable.Range(0, events.Count));
        events.Select(e => e.Data.GetProperty("type").GetString()).ShouldBe(events.Select(e => e.Name));
        events[9].Data.GetProperty("item_id").GetString().ShouldBe("fc_1");
        var response = events[^1].Data.GetProperty("response");
        response.GetProperty("id").GetString().ShouldBe("resp_abc");
        response.GetProperty("status").GetString().ShouldBe("completed");
        response.GetProperty("max_output_tokens").GetInt32().ShouldBe(64);
        response.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString().ShouldBe("Hi é");
        var call = response.GetProperty("output")[1];
        (call.GetProperty("type").GetString(), call.GetProperty("call_id").GetString(), call.GetProperty("arguments").GetString()).ShouldBe(("function_call", "toolu_1", "{\"a\":1}"));
        response.GetProperty("usage").GetProperty("input_tokens").GetInt32().ShouldBe(12);
        response.GetProperty("usage").GetProperty("output_tokens").GetInt32().ShouldBe(9);
    }

    [TestCase(1)]
    [TestCase(33)]
    public void Openai_chat_chunks_become_anthropic_events_with_the_final_usage_in_message_delta(int chunkSize)
    {
        const string Header = "{\"id\":\"chatcmpl-xyz\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-x\",";
        var upstream =
            "data: " + Header + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n"
            + "data: " + Header + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}\n\n"
            + "data: " + Header + "\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}\n\n"
            + "data: " + Header + "\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"a\\\":1}\"}}]},\"finish_reason\":null}]}\n\n"
            + "data: " + Header + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\n"
            + "data: " + Header + "\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":9,\"total_tokens\":21,\"prompt_tokens_details\":{\"cached_tokens\":2}}}\n\n"
            + "data: [DONE]\n\n";
        using var transform = new OpenAIChatToAnthropicStream(new TranslationContext(ApiSurface.AnthropicMessages, ProviderStyle.OpenAI));

        var output = Run(transform, upstream, chunkSize);

        output.ShouldBe(
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_xyz\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"gpt-x\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":0,\"output_tokens\":0}}}\n\n"
            + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
            + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n"
            + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
            + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"call_1\",\"name\":\"f\",\"input\":{}}}\n\n"
            + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"a\\\":1}\"}}\n\n"
            + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":1}\n\n"
            + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},\"usage\":{\"input_tokens\":10,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":2,\"output_tokens\":9}}\n\n"
            + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        transform.Usage.Prompt.ShouldBe(12);
        transform.Usage.Completion.ShouldBe(9);
    }

    [Test]
    public void Upstream_error_event_reaches_the_client_in_its_apis_error_form()
    {
        using var transform = new AnthropicToOpenAIResponsesStream(new TranslationContext(ApiSurface.OpenAIResponses, ProviderStyle.Anthropic));

        var output = Run(transform, "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n", 9);

        output.ShouldBe("event: error\ndata: {\"type\":\"error\",\"code\":\"server_error\",\"message\":\"Overloaded\",\"param\":null,\"sequence_number\":0}\n\n");
    }

    internal static string Run(SseEventTransform transform, string upstream, int chunkSize)
    {
        var bytes = Encoding.UTF8.GetBytes(upstream);
        var output = new ArrayBufferWriter<byte>();
        for (var offset = 0; offset < bytes.Length; offset += chunkSize)
        {
            transform.Feed(bytes.AsSpan(offset, Math.Min(chunkSize, bytes.Length - offset)), output);
        }

        transform.Complete(output);
        return Created().Replace(Encoding.UTF8.GetString(output.WrittenSpan), "\"created\":0");
    }

    private static string Chunk(string delta, string? finishReason) =>
        "data: " + ChatHeader + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":" + (finishReason ?? "null") + "}],\"usage\":null}\n\n";

    private static List<(string Name, JsonElement Data)> Events(string stream) =>
        [.. stream.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(block =>
        {
            var lines = block.Split('\n');
            return (lines[0]["event: ".Length..], JsonDocument.Parse(lines[1]["data: ".Length..]).RootElement.Clone());
        })];

    [GeneratedRegex("\"created\":\\d+")]
    private static partial Regex Created();
}
