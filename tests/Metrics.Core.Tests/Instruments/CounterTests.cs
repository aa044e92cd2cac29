namespace Metrics.Tests.Instruments;

public class CounterTests
{
    [Test]
    public void Inc_adds_one_and_Inc_n_adds_n()
    {
        var counter = new MetricRegistry().CreateCounter("requests_total", "Requests.");

        counter.Inc();
        counter.Inc(41);
        counter.Inc(0);

        counter.Value.ShouldBe(42);
    }

    [Test]
    public void Negative_increment_throws_and_changes_nothing()
    {
        var counter = new MetricRegistry().CreateCounter("requests_total", "Requests.");
        counter.Inc(5);

        var error = Should.Throw<ArgumentOutOfRangeException>(() => counter.Inc(-1));

        error.ParamName.ShouldBe("increment");
        error.Message.ShouldContain("must not be negative");
        counter.Value.ShouldBe(5);
    }

    [TestCase(-0.5)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void Double_counter_rejects_negative_and_non_finite_increments(double increment)
    {
        var counter = new MetricRegistry().CreateDoubleCounter("seconds_total", "Seconds.");
        counter.Inc(1.25);

        Should.Throw<ArgumentOutOfRangeException>(() => counter.Inc(increment)).ParamName.ShouldBe("increment");
        counter.Value.ShouldBe(1.25);
    }

    [Test]
    public void Double_counter_adds_fractions()
    {
        var counter = new MetricRegistry().CreateDoubleCounter("seconds_total", "Seconds.");

        counter.Inc(0.25);
        counter.Inc(0.5);
        counter.Inc();

        counter.Value.ShouldBe(1.75);
    }

    [Test]
    public void Counter_total_is_exact_under_four_concurrent_writers()
    {
        var registry = new MetricRegistry();
        var counter = registry.CreateCounter("hits_total", "Hits.");
        var doubleCounter = registry.CreateDoubleCounter("bytes_total", "Bytes.");
        const int threads = 4;
        const int perThread = 250_000;

        Concurrently.Run(threads, _ =>
        {
            for (var i = 0; i < perThread; i++)
            {
                counter.Inc();
                doubleCounter.Inc(0.5);
            }
        });

        counter.Value.ShouldBe(1_000_000);
        doubleCounter.Value.ShouldBe(500_000.0);
    }
}
