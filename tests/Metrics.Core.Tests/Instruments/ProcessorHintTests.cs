namespace Metrics.Tests.Instruments;

public sealed class ProcessorHintTests
{
    [Test]
    public void A_thread_asks_the_system_once_every_refresh_interval_and_keeps_the_answer_in_between()
    {
        const int blocks = 200;
        var answers = new int[blocks * ProcessorHint.RefreshInterval];
        // A fresh thread, so that its first call is the first of a block.
        var thread = new Thread(() =>
        {
            for (var call = 0; call < answers.Length; call++)
            {
                answers[call] = ProcessorHint.Current();
            }
        });
        thread.Start();
        thread.Join();

        answers.ShouldAllBe(processor => processor >= 0);
        for (var block = 0; block < blocks; block++)
        {
            var first = answers[block * ProcessorHint.RefreshInterval];
            for (var call = 1; call < ProcessorHint.RefreshInterval; call++)
            {
                answers[(block * ProcessorHint.RefreshInterval) + call].ShouldBe(first, $"call {call} of block {block}");
            }
        }
    }
}
