namespace Metrics.Tests.Registry;

public class OverlappingCollectionTests
{
    // How long a callback waits for the other scrape to reach a step. Where collections take turns, the other scrape
    // cannot get there, so this bounds the test rather than deciding it.
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMilliseconds(300);

    [Test]
    public void A_scrape_never_shows_an_older_callback_value_than_the_one_its_own_callback_read()
    {
        var registry = new MetricRegistry();
        long source = 0;
        var first = 0;
        using var firstRead = new ManualResetEventSlim();
        using var secondPublished = new ManualResetEventSlim();
        using var firstPublished = new ManualResetEventSlim();
        using var readBySecond = new ThreadLocal<long>();

        // The interleaving that went wrong: the first scrape reads the source, the second reads a newer value and
        // publishes it, then the first publishes its older value just before the second renders.
        registry.CreateCallbackCounter("reads_total", "Reads of the source.", () =>
        {
            var value = Interlocked.Increment(ref source);
            if (Environment.CurrentManagedThreadId == first)
            {
                firstRead.Set();
                secondPublished.Wait(StepTimeout);
            }
            else
            {
                readBySecond.Value = value;
            }

            return value;
        });
        registry.CreateCallbackGauge("after_reads", "Evaluated after reads_total.", () =>
        {
            if (Environment.CurrentManagedThreadId == first)
            {
                firstPublished.Set();
            }
            else
            {
                secondPublished.Set();
                firstPublished.Wait(StepTimeout);
            }

            return 0;
        });

        var firstScrape = new Thread(() =>
        {
            first = Environment.CurrentManagedThreadId;
            registry.Collect();
        });
        firstScrape.Start();
        firstRead.Wait(TimeSpan.FromSeconds(10)).ShouldBeTrue("the first scrape never ran its callback");
        var shown = registry.Collect().Find("reads_total")!.Series[0].Value;
        firstScrape.Join();

        shown.ShouldBe(readBySecond.Value, "the second scrape showed the first scrape's older reading");
        shown.ShouldBe(2);
    }
}
