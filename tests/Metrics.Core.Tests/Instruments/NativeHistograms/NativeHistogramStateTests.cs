using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace Metrics.Tests.Instruments.NativeHistograms;

public sealed class NativeHistogramStateTests
{
    // Bucket factor 2 gives schema 0: bucket i holds (2^(i-1), 2^i].
    private static readonly NativeHistogramOptions SchemaZero = new() { BucketFactor = 2 };

    [Test]
    public void Default_options_give_schema_3_a_zero_threshold_of_two_to_the_minus_128_and_160_buckets()
    {
        var options = new NativeHistogramOptions();
        var state = new NativeHistogramState(options, TimeProvider.System);

        state.Schema.ShouldBe(3);
        state.ZeroThreshold.ShouldBe(Math.ScaleB(1.0, -128));
        options.MaxBucketCount.ShouldBe(160);
        options.MinResetDuration.ShouldBe(TimeSpan.Zero);
        options.MaxZeroThreshold.ShouldBe(0);
        options.MaxExemplars.ShouldBe(10);
    }

    [Test]
    public void Snapshot_lists_each_sign_as_spans_and_deltas_filling_gaps_of_up_to_two_buckets()
    {
        var state = new NativeHistogramState(SchemaZero, TimeProvider.System);
        foreach (var value in new[] { 1, 3, 3, 5, -1.5, 0, 100 })
        {
            state.Observe(value);
        }

        var snapshot = Capture(state);

        snapshot.Schema.ShouldBe(0);
        snapshot.Count.ShouldBe(7);
        snapshot.ZeroCount.ShouldBe(1);
        snapshot.Sum.ShouldBe(110.5);
        // 1 → bucket 0, 3 and 3 → 2, 5 → 3, 100 → 7 (64, 128]; bucket 1 is an empty filler, and the gap of 3
        // buckets before 7 starts a new span.
        snapshot.PositiveBuckets.ToArray().ShouldBe([new(0, 1), new(1, 0), new(2, 2), new(3, 1), new(7, 1)]);
        snapshot.PositiveSpans.ToArray().ShouldBe([new(0, 4), new(3, 1)]);
        snapshot.PositiveDeltas.ToArray().ShouldBe([1L, -1, 2, -1, 0]);
        snapshot.NegativeBuckets.ToArray().ShouldBe([new NativeBucket(1, 1)]);
        snapshot.NegativeSpans.ToArray().ShouldBe([new NativeBucketSpan(1, 1)]);
        snapshot.NegativeDeltas.ToArray().ShouldBe([1L]);
    }

    [Test]
    public void Values_within_the_zero_threshold_go_to_the_zero_bucket_on_both_sides_and_the_threshold_itself_too()
    {
        var state = new NativeHistogramState(new NativeHistogramOptions { BucketFactor = 2, ZeroThreshold = 0.25 }, TimeProvider.System);
        foreach (var value in new[] { 0.25, -0.25, 0.1, -0.0, 0.2500000000000001, -0.2500000000000001 })
        {
            state.Observe(value);
        }

        var snapshot = Capture(state);

        snapshot.ZeroThreshold.ShouldBe(0.25);
        snapshot.ZeroCount.ShouldBe(4);
        snapshot.PositiveBuckets.ToArray().ShouldBe([new NativeBucket(-1, 1)]);
        snapshot.NegativeBuckets.ToArray().ShouldBe([new NativeBucket(-1, 1)]);
        snapshot.Count.ShouldBe(6);
    }

    [Test]
    public void A_zero_threshold_of_zero_keeps_only_exact_zeros_in_the_zero_bucket()
    {
        var state = new NativeHistogramState(new NativeHistogramOptions { BucketFactor = 2, ZeroThreshold = 0 }, TimeProvider.System);
        state.Observe(0);
        state.Observe(-0.0);
        state.Observe(double.Epsilon);

        var snapshot = Capture(state);

        snapshot.ZeroCount.ShouldBe(2);
        snapshot.PositiveBuckets.ToArray().ShouldBe([new NativeBucket(-1074, 1)]);
    }

    [Test]
    public void An_empty_histogram_with_a_zero_threshold_of_zero_carries_the_empty_marker_span()
    {
        var empty = Capture(new NativeHistogramState(new NativeHistogramOptions { ZeroThreshold = 0 }, TimeProvider.System));
        var emptyWithThreshold = Capture(new NativeHistogramState(new NativeHistogramOptions(), TimeProvider.System));

        empty.Count.ShouldBe(0);
        empty.PositiveSpans.ToArray().ShouldBe([new NativeBucketSpan(0, 0)]);
        empty.PositiveBuckets.IsEmpty.ShouldBeTrue();
        emptyWithThreshold.PositiveSpans.IsEmpty.ShouldBeTrue();
    }

    [Test]
    public void NaN_is_ignored_and_infinities_count_in_their_own_buckets()
    {
        var state = new NativeHistogramState(SchemaZero, TimeProvider.System);
        state.Observe(double.NaN);
        state.Observe(double.NaN, new Exemplar("trace_id", "nan"));
        state.Observe(double.PositiveInfinity);
        state.Observe(double.NegativeInfinity);
        state.Observe(double.MaxValue);

        var snapshot = Capture(state);

        snapshot.Count.ShouldBe(3);
        snapshot.PositiveBuckets.ToArray().ShouldBe([new NativeBucket(1024, 1), new NativeBucket(1025, 1)]);
        snapshot.NegativeBuckets.ToArray().ShouldBe([new NativeBucket(1025, 1)]);
        double.IsNaN(snapshot.Sum).ShouldBeTrue("+Inf plus -Inf");
        snapshot.Exemplars.IsEmpty.ShouldBeTrue();
    }

    [Test]
    public void A_histogram_grows_past_its_first_eight_buckets_without_losing_a_count()
    {
        var state = new NativeHistogramState(SchemaZero, TimeProvider.System);
        for (var exponent = -20; exponent < 20; exponent++)
        {
            state.Observe(Math.ScaleB(1.0, exponent));
            state.Observe(-Math.ScaleB(3.0, exponent));
        }

        var snapshot = Capture(state);

        state.BucketCount.ShouldBe(80);
        snapshot.Count.ShouldBe(80);
        // 2^e is the upper bound of bucket e; 3 × 2^e lies in bucket e + 2.
        snapshot.PositiveBuckets.ToArray().ShouldBe(Enumerable.Range(-20, 40).Select(e => new NativeBucket(e, 1)).ToArray());
        snapshot.NegativeBuckets.ToArray().ShouldBe(Enumerable.Range(-18, 40).Select(e => new NativeBucket(e, 1)).ToArray());
        snapshot.PositiveSpans.ToArray().ShouldBe([new NativeBucketSpan(-20, 40)]);
    }

    [Test]
    public void Repeated_captures_return_the_same_totals_and_reuse_their_buffers()
    {
        var state = new NativeHistogramState(new NativeHistogramOptions(), TimeProvider.System);
        var random = new Random(7);
        for (var i = 0; i < 10_000; i++)
        {
            state.Observe(random.NextDouble() * 100);
        }

        var snapshot = new NativeHistogramSnapshot();
        state.CaptureInto(snapshot);
        var first = snapshot.PositiveBuckets.ToArray();
        state.CaptureInto(snapshot);
        var before = GC.GetAllocatedBytesForCurrentThread();
        state.CaptureInto(snapshot);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        snapshot.PositiveBuckets.ToArray().ShouldBe(first);
        snapshot.Count.ShouldBe(10_000);
        allocated.ShouldBe(0);
    }

    [Test]
    public void Observe_allocates_nothing_once_its_bucket_exists()
    {
        var state = new NativeHistogramState(new NativeHistogramOptions(), TimeProvider.System);
        double[] values = [0.001, 0.5, 3, -7, 0, 1e6, double.PositiveInfinity];
        foreach (var value in values)
        {
            state.Observe(value);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100_000; i++)
        {
            state.Observe(values[i % values.Length]);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).ShouldBe(0);
        Capture(state).Count.ShouldBe(100_007);
    }

    [Test]
    public void Exemplars_keep_the_latest_ones_with_their_values_and_timestamps_oldest_first()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var state = new NativeHistogramState(new NativeHistogramOptions { MaxExemplars = 3 }, clock);
        for (var i = 1; i <= 4; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            state.Observe(i * 0.5, new Exemplar("trace_id", $"t{i}"));
        }

        state.Observe(9);
        var exemplars = Capture(state).Exemplars.ToArray();

        var start = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero).ToUnixTimeSeconds();
        exemplars.Select(e => e.Labels[0].Value).ShouldBe(["t2", "t3", "t4"]);
        exemplars.Select(e => e.Value).ShouldBe([1.0, 1.5, 2.0]);
        exemplars.Select(e => e.Timestamp).ShouldBe([start + 2.0, start + 3.0, start + 4.0]);
    }

    [Test]
    public void A_sampled_activity_becomes_an_exemplar_when_activity_exemplars_are_on()
    {
        var state = new NativeHistogramState(new NativeHistogramOptions { RecordActivityExemplars = true }, TimeProvider.System);
        var quiet = new NativeHistogramState(new NativeHistogramOptions(), TimeProvider.System);
        using var activity = new Activity("request");
        activity.SetIdFormat(ActivityIdFormat.W3C);
        activity.ActivityTraceFlags = ActivityTraceFlags.Recorded;
        activity.Start();

        state.Observe(0.25);
        quiet.Observe(0.25);

        var exemplar = Capture(state).Exemplars.ToArray().ShouldHaveSingleItem();
        exemplar.Labels[0].ShouldBe(new KeyValuePair<string, string>("trace_id", activity.TraceId.ToHexString()));
        exemplar.Labels[1].ShouldBe(new KeyValuePair<string, string>("span_id", activity.SpanId.ToHexString()));
        exemplar.Value.ShouldBe(0.25);
        Capture(quiet).Exemplars.IsEmpty.ShouldBeTrue();
    }

    [Test]
    public void Created_time_is_when_the_histogram_was_made()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2024, 5, 6, 7, 8, 9, 500, TimeSpan.Zero));
        var state = new NativeHistogramState(new NativeHistogramOptions(), clock);
        clock.Advance(TimeSpan.FromMinutes(5));
        state.Observe(1);

        var expected = new DateTimeOffset(2024, 5, 6, 7, 8, 9, 500, TimeSpan.Zero).ToUnixTimeMilliseconds() / 1000.0;
        state.CreatedSeconds.ShouldBe(expected);
        Capture(state).CreatedSeconds.ShouldBe(expected);
    }

    [TestCase(nameof(NativeHistogramOptions.MaxBucketCount), "Invalid native histogram bucket limit 0: it must be between 1 and 16384.")]
    [TestCase(nameof(NativeHistogramOptions.ZeroThreshold), "Invalid native histogram zero threshold -1: it must be finite and not negative.")]
    [TestCase(nameof(NativeHistogramOptions.MaxZeroThreshold), "Invalid native histogram maximum zero threshold -1: it must not be negative.")]
    [TestCase(nameof(NativeHistogramOptions.MaxExemplars), "Invalid native histogram exemplar count -1: it must not be negative.")]
    [TestCase(nameof(NativeHistogramOptions.MinResetDuration), "Invalid native histogram minimum reset duration -00:00:01: it must not be negative.")]
    public void Options_out_of_range_are_rejected_naming_the_option_the_value_and_the_rule(string option, string message)
    {
        var options = option switch
        {
            nameof(NativeHistogramOptions.MaxBucketCount) => new NativeHistogramOptions { MaxBucketCount = 0 },
            nameof(NativeHistogramOptions.ZeroThreshold) => new NativeHistogramOptions { ZeroThreshold = -1 },
            nameof(NativeHistogramOptions.MaxZeroThreshold) => new NativeHistogramOptions { MaxZeroThreshold = -1 },
            nameof(NativeHistogramOptions.MaxExemplars) => new NativeHistogramOptions { MaxExemplars = -1 },
            _ => new NativeHistogramOptions { MinResetDuration = TimeSpan.FromSeconds(-1) },
        };

        var error = Should.Throw<ArgumentOutOfRangeException>(() => new NativeHistogramState(options, TimeProvider.System));

        error.ParamName.ShouldBe(option);
        error.Message.ShouldStartWith(message);
    }

    internal static NativeHistogramSnapshot Capture(NativeHistogramState state)
    {
        var snapshot = new NativeHistogramSnapshot();
        state.CaptureInto(snapshot);
        return snapshot;
    }
}
