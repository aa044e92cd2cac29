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

    [Test]
    public void Two_busy_threads_running_together_report_at_least_two_processors()
    {
        // Two busy threads on a machine with at least two processors run on two of them at once; each asks afresh
        // after at most RefreshInterval calls, so within a few blocks each reports the processor it runs on.
        Assume.That(Environment.ProcessorCount, Is.GreaterThanOrEqualTo(2), "needs two processors");
        var seen = new HashSet<int>[2] { [], [] };
        Concurrently.Run(2, index =>
        {
            var until = DateTime.UtcNow.AddMilliseconds(200);
            while (DateTime.UtcNow < until)
            {
                seen[index].Add(ProcessorHint.Current());
            }
        });

        seen[0].Union(seen[1]).Count().ShouldBeGreaterThanOrEqualTo(2, "two threads running at once were never on two processors");
    }
}
