using System.Runtime.CompilerServices;
using Metrics.Testing;

namespace Metrics.Tests.Families;

public sealed class SeriesExpiryTests
{
    private static readonly TimeSpan IdleTime = TimeSpan.FromSeconds(10);
    private static readonly FamilyOptions Expiring = new() { ExpireAfter = IdleTime };

    private readonly ManualTimeProvider _clock = new();
    private MetricRegistry _registry = null!;

    [SetUp]
    public void CreateRegistry() => _registry = new MetricRegistry(new MetricRegistryOptions { TimeProvider = _clock });

    [Test]
    public void Series_is_removed_at_the_first_scrape_a_full_idle_time_after_its_last_update_was_scraped()
    {
        var family = _registry.CreateCounterFamily("requests", "Requests.", ["route"], Expiring);
        family.WithLabels("/a").Inc();
        family.WithLabels("/b").Inc(2);

        ExpositionText.Of(_registry).ShouldBe("# HELP requests_total Requests.\n# TYPE requests_total counter\nrequests_total{route=\"/a\"} 1\nrequests_total{route=\"/b\"} 2\n");
        _clock.Advance(TimeSpan.FromSeconds(5));
        family.WithLabels("/b").Inc();
        ExpositionText.Of(_registry).ShouldBe("# HELP requests_total Requests.\n# TYPE requests_total counter\nrequests_total{route=\"/a\"} 1\nrequests_total{route=\"/b\"} 3\n");
        _clock.Advance(TimeSpan.FromSeconds(5) - TimeSpan.FromTicks(1));
        ExpositionText.Of(_registry).ShouldContain("requests_total{route=\"/a\"} 1\n");
        _clock.Advance(TimeSpan.FromTicks(1));

        ExpositionText.Of(_registry).ShouldBe("# HELP requests_total Requests.\n# TYPE requests_total counter\nrequests_total{route=\"/b\"} 3\n");
        _clock.Advance(TimeSpan.FromSeconds(5));
        ExpositionText.Of(_registry).ShouldBe("");
    }

    [Test]
    public void Series_updated_between_every_two_scrapes_is_never_removed()
    {
        var counter = _registry.CreateCounterFamily("jobs", "Jobs.", ["queue"], Expiring).WithLabels("mail");

        for (var scrape = 0; scrape < 10; scrape++)
        {
            counter.Inc();
            _clock.Advance(IdleTime * 3);
            _registry.Collect().Find("jobs_total")!.Find("mail")!.Value.ShouldBe(scrape + 1);
        }
    }

    [Test]
    public void Expired_handle_puts_its_series_back_with_its_total_on_its_next_update()
    {
        var family = _registry.CreateCounterFamily("requests", "Requests.", ["route"], Expiring);
        var counter = family.WithLabels("/a");
        counter.Inc(5);
        Expire();
        _registry.Collect().Find("requests_total")!.Series.ShouldBeEmpty();

        counter.Inc();

        _registry.Collect().Find("requests_total")!.Find("/a")!.Value.ShouldBe(6);
        family.WithLabels("/a").ShouldBeSameAs(counter);
    }

    [Test]
    public void Lookup_of_an_expired_label_set_returns_the_handle_still_held_with_its_total()
    {
        var family = _registry.CreateCounterFamily("requests", "Requests.", ["route"], Expiring);
        var held = family.WithLabels("/a");
        held.Inc(7);
        Expire();

        var looked = family.WithLabels("/a");
        looked.Inc();

        looked.ShouldBeSameAs(held);
        _registry.Collect().Find("requests_total")!.Find("/a")!.Value.ShouldBe(8);
    }

    [Test]
    public void Lookup_after_the_expired_series_was_collected_starts_a_new_series_from_zero()
    {
        var family = _registry.CreateCounterFamily("requests", "Requests.", ["route"], Expiring);
        var old = IncrementAndForget(family, "/a", 7);
        Expire();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        old.TryGetTarget(out _).ShouldBeFalse("nothing holds the expired series any more");

        family.WithLabels("/a").Inc();

        _registry.Collect().Find("requests_total")!.Find("/a")!.Value.ShouldBe(1);
    }

    [Test]
    public void Families_without_expiry_keep_idle_series_forever()
    {
        _registry.CreateCounterFamily("requests", "Requests.", ["route"]).WithLabels("/a").Inc();

        for (var scrape = 0; scrape < 3; scrape++)
        {
            _clock.Advance(TimeSpan.FromDays(365));
            _registry.Collect().Find("requests_total")!.Find("/a")!.Value.ShouldBe(1);
        }
    }

    [Test]
    public void Expired_gauges_and_histograms_come_back_on_their_next_measurement()
    {
        var gauge = _registry.CreateGaugeFamily("queue_depth", "Depth.", ["queue"], Expiring).WithLabels("mail");
        var histogram = _registry.CreateHistogramFamily("latency_seconds", "Latency.", ["route"], [0.1, 1], Expiring).WithLabels("/a");
        gauge.Set(4);
        histogram.Observe(0.05);
        Expire();
        _registry.Collect().Families.Sum(family => family.Series.Count).ShouldBe(0);

        gauge.Set(5);
        histogram.Observe(0.5);

        ExpositionText.Of(_registry).ShouldBe(
            "# HELP latency_seconds Latency.\n# TYPE latency_seconds histogram\n"
            + "latency_seconds_bucket{route=\"/a\",le=\"0.1\"} 1\nlatency_seconds_bucket{route=\"/a\",le=\"1\"} 2\n"
            + "latency_seconds_bucket{route=\"/a\",le=\"+Inf\"} 2\nlatency_seconds_sum{route=\"/a\"} 0.55\nlatency_seconds_count{route=\"/a\"} 2\n"
            + "# HELP queue_depth Depth.\n# TYPE queue_depth gauge\nqueue_depth{queue=\"mail\"} 5\n");
    }

    [Test]
    public void Removal_keeps_the_order_and_the_lookups_of_the_series_that_stay()
    {
        var family = _registry.CreateCounterFamily("items", "Items.", ["id"], Expiring);
        var counters = Enumerable.Range(0, 100).Select(id => family.WithLabels(id.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();
        foreach (var counter in counters)
        {
            counter.Inc();
        }

        _registry.Collect();
        _clock.Advance(IdleTime);
        for (var id = 0; id < 100; id += 2)
        {
            counters[id].Inc();
        }

        var kept = _registry.Collect().Find("items_total")!.Series.Select(series => series.LabelValues[0]).ToArray();

        kept.ShouldBe(Enumerable.Range(0, 50).Select(id => (id * 2).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        for (var id = 0; id < 100; id++)
        {
            family.WithLabels(id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ShouldBeSameAs(counters[id]);
        }
    }

    [Test]
    public void Expired_series_free_their_place_under_the_cardinality_limit_and_the_overflow_series_stays()
    {
        var family = _registry.CreateCounterFamily("calls", "Calls.", ["model"], new FamilyOptions { CardinalityLimit = 1, ExpireAfter = IdleTime });
        IncrementAndForget(family, "a", 1);
        family.WithLabels("b").Inc();
        Expire();
        GC.Collect();

        family.WithLabels("c").Inc();

        var series = _registry.Collect().Find("calls_total")!.Series;
        series.Select(s => (s.LabelValues[0], s.Value)).ShouldBe([(MetricFamily.OverflowLabelValue, 1.0), ("c", 1.0)]);
    }

    [Test]
    public void Expiry_must_be_positive()
    {
        var exception = Should.Throw<ArgumentOutOfRangeException>(
            () => _registry.CreateCounterFamily("calls", "Calls.", ["model"], new FamilyOptions { ExpireAfter = TimeSpan.Zero }));

        exception.Message.ShouldStartWith("FamilyOptions.ExpireAfter must be positive, or null for series that never expire.");
        _registry.CreateCounterFamily("calls", "Calls.", ["model"], Expiring).ExpireAfter.ShouldBe(IdleTime);
    }

    [Test]
    public void No_increment_is_lost_or_double_counted_while_scrapes_expire_series_under_concurrent_writers()
    {
        const int Keys = 8;
        const int Writers = 4;
        const int Burst = 200;
        const int Rounds = 300;
        var family = _registry.CreateCounterFamily("hits", "Hits.", ["key"], Expiring);
        var keys = Enumerable.Range(0, Keys).Select(key => "k" + key).ToArray();
        // Held for the whole test, so an expired series always comes back as itself: one total per key.
        var handles = keys.Select(key => family.WithLabels(key)).ToArray();
        var increments = new long[Writers, Keys];
        var rounds = new int[Writers];
        var scrapes = 0;
        var stop = false;

        var writers = Enumerable.Range(0, Writers).Select(writer => new Thread(() =>
        {
            for (var round = 0; !Volatile.Read(ref stop); round++)
            {
                // Every three scrapes the writers move between keys 0-3 and keys 4-7, so the other half goes idle and
                // expires, and comes back when the writers return, while writers race the scrapes at every switch.
                var key = (Volatile.Read(ref scrapes) / 3 % 2 * Writers) + writer;
                for (var i = 0; i < Burst; i++)
                {
                    // Half the writers hold the handle, half look it up on every increment.
                    var counter = writer % 2 == 0 ? handles[key] : family.WithLabels(keys[key]);
                    counter.Inc();
                }

                increments[writer, key] += Burst;
                Volatile.Write(ref rounds[writer], round + 1);
                Thread.Yield();
            }
        })).ToArray();

        var lastExported = new double[Keys];
        var wasAbsent = new bool[Keys];
        var expirations = 0;
        var returns = 0;
        foreach (var writer in writers)
        {
            writer.Start();
        }

        // Scrape, each time a full idle time later, until every writer has run its rounds while scrapes went on.
        while (scrapes < 60 || Enumerable.Range(0, Writers).Any(writer => Volatile.Read(ref rounds[writer]) < Rounds))
        {
            _clock.Advance(IdleTime + TimeSpan.FromSeconds(1));
            Record(_registry.Collect());
            Interlocked.Increment(ref scrapes);
        }

        Volatile.Write(ref stop, true);
        foreach (var writer in writers)
        {
            writer.Join();
        }

        Record(_registry.Collect());

        for (var key = 0; key < Keys; key++)
        {
            var total = Enumerable.Range(0, Writers).Sum(writer => increments[writer, key]);
            lastExported[key].ShouldBe(total, $"key {keys[key]}: the last exported total must hold every increment");
            handles[key].Value.ShouldBe(total);
        }

        expirations.ShouldBeGreaterThan(0, "scrapes must have expired series while writers ran");
        returns.ShouldBeGreaterThan(0, "expired series must have come back");

        void Record(MetricsSnapshot snapshot)
        {
            var present = snapshot.Find("hits_total")!;
            for (var key = 0; key < Keys; key++)
            {
                var series = present.Find(keys[key]);
                if (series is null)
                {
                    expirations += wasAbsent[key] ? 0 : 1;
                    wasAbsent[key] = true;
                    continue;
                }

                series.Value.ShouldBeGreaterThanOrEqualTo(lastExported[key], "a series keeps its total across expiry");
                returns += wasAbsent[key] ? 1 : 0;
                wasAbsent[key] = false;
                lastExported[key] = series.Value;
            }
        }
    }

    [Test]
    public void Output_after_expiry_passes_promtool()
    {
        var family = _registry.CreateCounterFamily("requests", "Requests.", ["route"], Expiring);
        family.WithLabels("/a").Inc();
        family.WithLabels("/b").Inc();
        _registry.Collect();
        _clock.Advance(IdleTime);
        family.WithLabels("/b").Inc();
        _registry.Collect();

        var run = Promtool.CheckMetrics(ExpositionText.Of(_registry));

        run.ExitCode.ShouldBe(0, run.Output);
    }

    // Two scrapes a full idle time apart with no update: the first makes every series idle, the second removes it.
    private void Expire()
    {
        _registry.Collect();
        _clock.Advance(IdleTime);
        _registry.Collect();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference<Counter> IncrementAndForget(MetricFamily<Counter> family, string label, long increment)
    {
        var counter = family.WithLabels(label);
        counter.Inc(increment);
        return new WeakReference<Counter>(counter);
    }
}
