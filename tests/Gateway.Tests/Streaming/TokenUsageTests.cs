using System.Text;
using Gateway.Streaming;

namespace Gateway.Tests.Streaming;

public class TokenUsageTests
{
    [TestCase("{\"id\":\"x\",\"choices\":[{\"message\":{\"content\":\"usage\"}}],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":5,\"total_tokens\":17}}", 12, 5)]
    [TestCase("{\"usage\":{\"input_tokens\":7,\"input_tokens_details\":{\"cached_tokens\":3},\"output_tokens\":9,\"output_tokens_details\":{\"reasoning_tokens\":0}}}", 7, 9)]
    [TestCase("{\"type\":\"response.completed\",\"response\":{\"output\":[],\"usage\":{\"input_tokens\":4,\"output_tokens\":2}}}", 4, 2)]
    [TestCase("{\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":20,\"cache_creation_input_tokens\":5,\"cache_read_input_tokens\":100,\"output_tokens\":1}}}", 125, 1)]
    [TestCase("{\"choices\":[{\"delta\":{\"usage\":{\"prompt_tokens\":99}}}]}", 0, 0)]
    [TestCase("{\"response\":{\"message\":{\"usage\":{\"prompt_tokens\":99}}}}", 0, 0)]
    [TestCase("{\"usage\":{\"prompt_tokens\":-1,\"completion_tokens\":\"3\"}}", 0, 0)]
    [TestCase("{\"usage\":{\"prompt_tokens\":3", 0, 0)]
    [TestCase("not json", 0, 0)]
    [TestCase("[{\"usage\":{\"prompt_tokens\":3}}]", 0, 0)]
    public void Usage_is_read_from_the_top_level_and_the_response_or_message_wrapper_only(string json, long prompt, long completion)
    {
        var usage = TokenUsage.FromBody(Encoding.UTF8.GetBytes(json));

        usage.Prompt.ShouldBe(prompt);
        usage.Completion.ShouldBe(completion);
    }

    [Test]
    public void Later_reports_replace_earlier_ones_field_by_field()
    {
        var usage = default(TokenUsage);

        usage.UpdateFrom("{\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":25,\"output_tokens\":1}}}"u8);
        usage.UpdateFrom("{\"type\":\"message_delta\",\"usage\":{\"output_tokens\":15}}"u8);

        usage.Prompt.ShouldBe(25);
        usage.Completion.ShouldBe(15);
    }

    [Test]
    public void Scanner_finds_usage_in_lines_split_across_reads_and_ignores_events_without_it()
    {
        var stream = Encoding.UTF8.GetBytes(
            ": comment with \"usage\"\r\n\r\nevent: message_start\r\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":8,\"output_tokens\":1}}}\r\n\r\n"
            + "data: {\"type\":\"content_block_delta\",\"delta\":{\"text\":\"the word usage\"}}\n\n"
            + "data: {\"type\":\"message_delta\",\"usage\":{\"output_tokens\":6}}\n\n");
        using var scanner = new SseUsageScanner();

        for (var offset = 0; offset < stream.Length; offset += 7)
        {
            scanner.Feed(stream.AsSpan(offset, Math.Min(7, stream.Length - offset)));
        }

        scanner.Usage.Prompt.ShouldBe(8);
        scanner.Usage.Completion.ShouldBe(6);
    }
}
