using System.Diagnostics;

namespace Metrics.Tests.Instruments;

public sealed class ExemplarTests
{
    [Test]
    public void Exemplar_accepts_labels_of_exactly_128_characters()
    {
        var exemplar = new Exemplar("trace_id", new string('a', 120));

        exemplar.Count.ShouldBe(1);
        exemplar[0].ShouldBe(new KeyValuePair<string, string>("trace_id", new string('a', 120)));
    }

    [Test]
    public void Exemplar_rejects_labels_over_128_characters_naming_the_labels_and_the_limit()
    {
        var error = Should.Throw<ArgumentException>(() => Exemplar.ForTrace(new string('a', 100), new string('b', 14)));

        error.ParamName.ShouldBe("labels");
        error.Message.ShouldStartWith(
            $"Invalid exemplar {{trace_id=\"{new string('a', 100)}\",span_id=\"{new string('b', 14)}\"}}: its label names and values hold 129 characters, and OpenMetrics allows at most 128 UTF-8 characters in an exemplar's labels.");
    }

    [Test]
    public void Exemplar_counts_code_points_so_a_character_outside_the_basic_plane_counts_once()
    {
        var emoji = string.Concat(Enumerable.Repeat("😀", 120));

        new Exemplar("trace_id", emoji).Count.ShouldBe(1);
        Should.Throw<ArgumentException>(() => new Exemplar("trace_id", emoji + "😀"));
    }

    [Test]
    public void Exemplar_rejects_an_invalid_label_name_naming_it_and_the_rule()
    {
        Should.Throw<ArgumentException>(() => new Exemplar("trace-id", "x")).Message.ShouldStartWith(
            "Invalid label name 'trace-id': label names must match [a-zA-Z_][a-zA-Z0-9_]* and must not start with '__'.");
    }

    [Test]
    public void Exemplar_rejects_a_repeated_label_name()
    {
        Should.Throw<ArgumentException>(() => new Exemplar("id", "1", "id", "2")).Message.ShouldStartWith(
            "Invalid exemplar: the label name 'id' appears more than once; label names must be distinct.");
    }

    [Test]
    public void Exemplar_rejects_null_names_and_values()
    {
        Should.Throw<ArgumentNullException>(() => new Exemplar(null!, "x"));
        Should.Throw<ArgumentNullException>(() => new Exemplar("id", null!));
        Should.Throw<ArgumentNullException>(() => new Exemplar([new KeyValuePair<string, string>("id", null!)]));
    }

    [Test]
    public void Exemplar_from_a_span_keeps_every_label_in_order()
    {
        var exemplar = new Exemplar([new("a", "1"), new("b", "2"), new("c", "3")]);

        exemplar.Count.ShouldBe(3);
        Enumerable.Range(0, 3).Select(i => $"{exemplar[i].Key}={exemplar[i].Value}").ShouldBe(["a=1", "b=2", "c=3"]);
        Should.Throw<ArgumentOutOfRangeException>(() => exemplar[3]);
    }

    [Test]
    public void Default_exemplar_is_empty_and_records_nothing()
    {
        var registry = new MetricRegistry();
        var counter = registry.CreateCounter("requests", "Requests.");
        var histogram = registry.CreateHistogram("latency_seconds", "Latency.", [1]);

        counter.Inc(3, default);
        histogram.Observe(0.5, default);

        default(Exemplar).IsEmpty.ShouldBeTrue();
        new Exemplar([]).IsEmpty.ShouldBeTrue();
        counter.Value.ShouldBe(3);
        counter.Exemplars.ShouldBeNull();
        histogram.Exemplars.ShouldBeNull();
    }

    [Test]
    public void Counter_with_exemplar_still_rejects_a_negative_increment_and_records_nothing()
    {
        var counter = new MetricRegistry().CreateCounter("requests", "Requests.");

        Should.Throw<ArgumentOutOfRangeException>(() => counter.Inc(-1, new Exemplar("id", "x")));
        counter.Value.ShouldBe(0);
        counter.Exemplars.ShouldBeNull();
    }

    [Test]
    public void Activity_with_a_hierarchical_id_gives_no_exemplar()
    {
        var counter = new MetricRegistry().CreateCounter("requests", "Requests.", new FamilyOptions { EnableExemplars = true });
        using var activity = new Activity("request");
        activity.SetIdFormat(ActivityIdFormat.Hierarchical);
        activity.ActivityTraceFlags = ActivityTraceFlags.Recorded;
        activity.Start();

        counter.Inc();

        counter.Exemplars!.TryRead(0, out _, out _, out _).ShouldBeFalse();
    }

    [Test]
    public void Exemplar_reads_never_mix_the_labels_and_value_of_two_writes_under_concurrent_writers()
    {
        var counter = new MetricRegistry().CreateCounter("requests", "Requests.");
        var ids = Enumerable.Range(0, 1024).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var exemplars = ids.Select(id => new Exemplar("first", id, "second", id)).ToArray();
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 2).Select(offset => new Thread(() =>
        {
            for (var i = offset; !stop.IsCancellationRequested; i++)
            {
                var index = i & (ids.Length - 1);
                counter.Inc(index, exemplars[index]);
            }
        })).ToArray();
        foreach (var writer in writers)
        {
            writer.Start();
        }

        var consistentReads = 0;
        var deadline = Stopwatch.StartNew();
        while (consistentReads < 10_000 && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (counter.Exemplars?.TryRead(0, out var labels, out var value, out _) == true)
            {
                labels[0].Value.ShouldBe(labels[1].Value);
                value.ShouldBe(double.Parse(labels[0].Value, System.Globalization.CultureInfo.InvariantCulture));
                consistentReads++;
            }
        }

        stop.Cancel();
        foreach (var writer in writers)
        {
            writer.Join();
        }

        consistentReads.ShouldBe(10_000);
    }
}
