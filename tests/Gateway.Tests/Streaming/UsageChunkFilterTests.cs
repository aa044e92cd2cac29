using System.Buffers;
using System.Text;
using Gateway.Streaming;

namespace Gateway.Tests.Streaming;

public class UsageChunkFilterTests
{
    [TestCase(1)]
    [TestCase(10)]
    [TestCase(4096)]
    public void Usage_the_client_did_not_ask_for_is_cut_out_and_still_counted(int chunkSize)
    {
        const string Upstream =
            ": keep-alive\n\n"
            + "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}],\"usage\":null}\r\n\r\n"
            + "data: {\"usage\":null, \"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
            + "data: {\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,\"total_tokens\":6}}\n\n"
            + "data: [DONE]\n\n";
        var filter = new UsageChunkFilter();
        var output = new ArrayBufferWriter<byte>();
        var bytes = Encoding.UTF8.GetBytes(Upstream);

        for (var offset = 0; offset < bytes.Length; offset += chunkSize)
        {
            filter.Feed(bytes.AsSpan(offset, Math.Min(chunkSize, bytes.Length - offset)), output);
        }

        filter.Complete(output);

        Encoding.UTF8.GetString(output.WrittenSpan).ShouldBe(
            "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}\n\n"
            + "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
            + "data: [DONE]\n\n");
        filter.Usage.Prompt.ShouldBe(5);
        filter.Usage.Completion.ShouldBe(1);
    }
}
