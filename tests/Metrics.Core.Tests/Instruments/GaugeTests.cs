namespace Metrics.Tests.Instruments;

public class GaugeTests
{
    [Test]
    public void Set_Inc_and_Dec_move_the_value()
    {
        var gauge = new MetricRegistry().CreateGauge("queue_length", "Queued items.");

        gauge.Set(10);
        gauge.Inc();
        gauge.Inc(2.5);
        gauge.Dec();
        gauge.Dec(0.5);

        gauge.Value.ShouldBe(12.0);
    }

    [Test]
    public void Track_increments_on_entry_and_decrements_on_dispose()
    {
        var gauge = new MetricRegistry().CreateGauge("connections_active", "Open connections.");

        using (gauge.Track())
        {
            using (gauge.Track())
            {
                gauge.Value.ShouldBe(2);
            }

            gauge.Value.ShouldBe(1);
        }

        gauge.Value.ShouldBe(0);
    }

    [Test]
    public void SetToCurrentTime_sets_unix_seconds_from_the_registry_clock()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_250));
        var gauge = new MetricRegistry(new MetricRegistryOptions { TimeProvider = clock }).CreateGauge("last_success_time_seconds", "Last success.");

        gauge.SetToCurrentTime();

        gauge.Value.ShouldBe(1_767_225_600.25);
    }

    [Test]
    public void Gauge_is_exact_under_four_concurrent_writers()
    {
        var gauge = new MetricRegistry().CreateGauge("in_flight", "In flight.");

        Concurrently.Run(4, _ =>
        {
            for (var i = 0; i < 250_000; i++)
            {
                using (gauge.Track())
                {
                    gauge.Inc(2);
                }
            }
        });

        gauge.Value.ShouldBe(2_000_000);
    }

    [Test]
    public void Callback_gauge_is_evaluated_at_each_collection()
    {
        var registry = new MetricRegistry();
        var healthy = 3;
        var gauge = registry.CreateCallbackGauge("backends_healthy", "Healthy backends.", () => healthy);

        registry.Collect().Find("backends_healthy")!.Series[0].Value.ShouldBe(3);
        healthy = 1;
        registry.Collect().Find("backends_healthy")!.Series[0].Value.ShouldBe(1);
        gauge.Value.ShouldBe(1);
    }
}
