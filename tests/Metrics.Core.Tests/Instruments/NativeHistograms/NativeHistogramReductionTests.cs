using Microsoft.Extensions.Time.Testing;

namespace Metrics.Tests.Instruments.NativeHistograms;

public sealed class NativeHistogramReductionTests
{
    [Test]
    public void Halving_the_resolution_merges_neighbour_buckets_until_the_new_bucket_fits()
    {
        var state = new NativeHistogramState(new NativeHistogramOptions { BucketFactor = 2, MaxBucketCount = 3 }, TimeProvider.System);
        foreach (var value in new[] { 1.0, 3, 5 })
        {
            state.Observe(value);
        }

        state.Schema.ShouldBe(0);
        state.Observe(100);

        // Schema 0 keys {0, 2, 3, 7} halve to {0, 1, 2, 4} at schema -1, still four, then to {0, 1, 2} at schema
        // -2, where bucket i holds (16^(i-1), 16^i]: 1 in (1/16, 1], 3 and 5 in (1, 16], 100 in (16, 256].
        var snapshot = NativeHistogramStateTests.Capture(state);
        snapshot.Schema.ShouldBe(-2);
        snapshot.PositiveBuckets.ToArray().ShouldBe([new(0, 1), new(1, 2), new(2, 1)]);
        snapshot.Count.ShouldBe(4);
        snapshot.Sum.ShouldBe(109);
        state.BucketCount.ShouldBe(3);

        // New observations use the new schema.
        state.Observe(200);
        state.Observe(0.5);
        NativeHistogramStateTests.Capture(state).PositiveBuckets.ToArray().ShouldBe([new(0, 2), new(1, 2), new(2, 2)]);
    }

    [Test]
    public void Halving_merges_negative_buckets_the_same_way()
    {
        var state = new NativeHistogramState(new NativeHistogramOptions { BucketFactor = 2, MaxBucketCount = 2 }, TimeProvider.System);
        state.Observe(-1.5);
        state.Observe(-3);
        state.Observe(-6);

        // Keys 1, 2 and 3 at schema 0 become 1, 1 and 2 at schema -1, where bucket i holds (4^(i-1), 4^i].
        var snapshot = NativeHistogramStateTests.Capture(state);
        snapshot.Schema.ShouldBe(-1);
        snapshot.NegativeBuckets.ToArray().ShouldBe([new(1, 2), new(2, 1)]);
        snapshot.Sum.ShouldBe(-10.5);
    }

    [Test]
    public void Widening_the_zero_bucket_comes_before_halving_and_stops_at_the_maximum_zero_threshold()
    {
        var options = new NativeHistogramOptions { BucketFactor = 2, MaxBucketCount = 2, MaxZeroThreshold = 1 };
        var state = new NativeHistogramState(options, TimeProvider.System);
        state.Observe(0.3);
        state.Observe(0.7);

        // A third bucket: the one closest to zero, (0.25, 0.5], joins the zero bucket.
        state.Observe(3);
        var widened = NativeHistogramStateTests.Capture(state);
        widened.Schema.ShouldBe(0);
        widened.ZeroThreshold.ShouldBe(0.5);
        widened.ZeroCount.ShouldBe(1);
        widened.PositiveBuckets.ToArray().ShouldBe([new NativeBucket(0, 1), new NativeBucket(1, 0), new NativeBucket(2, 1)]);

        state.Observe(0.1);
        state.Observe(10);
        var widenedAgain = NativeHistogramStateTests.Capture(state);
        widenedAgain.ZeroThreshold.ShouldBe(1);
        widenedAgain.ZeroCount.ShouldBe(3);
        widenedAgain.PositiveBuckets.ToArray().ShouldBe([new NativeBucket(2, 1), new NativeBucket(3, 0), new NativeBucket(4, 1)]);

        // Widening again would pass the maximum of 1, so the resolution halves, twice: schema 0 keys {2, 4, 5}
        // become {1, 2, 3} at schema -1 and {1, 1, 2} at schema -2.
        state.Observe(20);
        var halved = NativeHistogramStateTests.Capture(state);
        halved.Schema.ShouldBe(-2);
        halved.ZeroThreshold.ShouldBe(1);
        halved.ZeroCount.ShouldBe(3);
        halved.PositiveBuckets.ToArray().ShouldBe([new NativeBucket(1, 2), new NativeBucket(2, 1)]);
        halved.Count.ShouldBe(6);
        halved.Sum.ShouldBe(0.3 + 0.7 + 3 + 0.1 + 10 + 20);
    }

    [Test]
    public void Widening_takes_the_closest_bucket_of_either_sign()
    {
        var options = new NativeHistogramOptions { BucketFactor = 2, MaxBucketCount = 2, MaxZeroThreshold = 8 };
        var state = new NativeHistogramState(options, TimeProvider.System);
        state.Observe(-0.75);
        state.Observe(0.6);
        state.Observe(5);

        var snapshot = NativeHistogramStateTests.Capture(state);
        snapshot.ZeroThreshold.ShouldBe(1);
        snapshot.ZeroCount.ShouldBe(2);
        snapshot.NegativeBuckets.IsEmpty.ShouldBeTrue();
        snapshot.PositiveBuckets.ToArray().ShouldBe([new NativeBucket(3, 1)]);
    }

    [Test]
    public void Reset_clears_everything_once_the_minimum_reset_duration_has_passed()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero));
        var options = new NativeHistogramOptions { BucketFactor = 2, MaxBucketCount = 2, MinResetDuration = TimeSpan.FromMinutes(1) };
        var state = new NativeHistogramState(options, clock);
        state.Observe(1);
        state.Observe(3);

        // Too soon to reset: the resolution halves instead ({0, 2, 3} → {0, 1, 2} → {0, 1, 1}).
        clock.Advance(TimeSpan.FromSeconds(30));
        state.Observe(5);
        var halved = NativeHistogramStateTests.Capture(state);
        halved.Schema.ShouldBe(-2);
        halved.Count.ShouldBe(3);

        clock.Advance(TimeSpan.FromMinutes(2));
        state.Observe(1000);

        // 1000 lies in (256, 4096], bucket 3 at schema -2: a third bucket, so everything resets to schema 0 and
        // only 1000 remains, in (512, 1024], bucket 10.
        var reset = NativeHistogramStateTests.Capture(state);
        reset.Schema.ShouldBe(0);
        reset.Count.ShouldBe(1);
        reset.Sum.ShouldBe(1000);
        reset.PositiveBuckets.ToArray().ShouldBe([new NativeBucket(10, 1)]);
        reset.CreatedSeconds.ShouldBe(new DateTimeOffset(2024, 3, 1, 0, 2, 30, TimeSpan.Zero).ToUnixTimeSeconds());
        state.CreatedSeconds.ShouldBe(reset.CreatedSeconds);
    }

    [Test]
    public void At_the_coarsest_schema_the_zero_bucket_widens_past_its_maximum_so_the_limit_still_holds()
    {
        var options = new NativeHistogramOptions { BucketFactor = 65536, MaxBucketCount = 1 };
        var state = new NativeHistogramState(options, TimeProvider.System);
        state.Observe(1);
        state.Observe(Math.ScaleB(1.0, 20));

        // Schema -4 buckets span 2^16: 1 is in bucket 0 and 2^20 in bucket 2, and nothing coarser exists.
        var snapshot = NativeHistogramStateTests.Capture(state);
        snapshot.Schema.ShouldBe(-4);
        snapshot.ZeroThreshold.ShouldBe(1);
        snapshot.ZeroCount.ShouldBe(1);
        snapshot.PositiveBuckets.ToArray().ShouldBe([new NativeBucket(2, 1)]);
        state.BucketCount.ShouldBe(1);
    }

    [Test]
    public void The_bucket_limit_holds_for_observations_spread_over_the_whole_double_range()
    {
        var state = new NativeHistogramState(new NativeHistogramOptions(), TimeProvider.System);
        var random = new Random(99);
        long count = 0;
        for (var i = 0; i < 200_000; i++)
        {
            var value = BitConverter.Int64BitsToDouble(random.NextInt64(long.MinValue, long.MaxValue));
            if (double.IsNaN(value))
            {
                continue;
            }

            state.Observe(value);
            count++;
            state.BucketCount.ShouldBeLessThanOrEqualTo(160);
        }

        var snapshot = NativeHistogramStateTests.Capture(state);
        snapshot.Count.ShouldBe(count);
        (snapshot.ZeroCount + Total(snapshot.PositiveBuckets) + Total(snapshot.NegativeBuckets)).ShouldBe(count);
        snapshot.Schema.ShouldBe(-4);
    }

    [Test]
    public void Plan_reports_the_schema_and_threshold_of_each_strategy()
    {
        int[] keys = [NativeBucketDirectory.Key(0, false), NativeBucketDirectory.Key(2, false), NativeBucketDirectory.Key(3, true), NativeBucketDirectory.Key(7, false)];

        NativeBucketReduction.Plan(0, 0, keys, maxBuckets: 4, maxZeroThreshold: 0).ShouldBe((0, 0.0));
        // Halving: {0, 2, 7} and negative {3} become {0, 1, 4} and {2}, then {0, 1, 2} and {1}, then {0, 1} and {1}.
        NativeBucketReduction.Plan(0, 0, keys, maxBuckets: 3, maxZeroThreshold: 0).ShouldBe((-3, 0.0));
        // Widening to the upper bound of bucket 0 (1), then of bucket 2 (4).
        NativeBucketReduction.Plan(0, 0, keys, maxBuckets: 3, maxZeroThreshold: 1).ShouldBe((0, 1.0));
        NativeBucketReduction.Plan(0, 0, keys, maxBuckets: 2, maxZeroThreshold: 4).ShouldBe((0, 4.0));
        // Halving down to schema -4 leaves {0, 1} and negative {1}; then the last resort widens past buckets 0 and 1 (2^16).
        NativeBucketReduction.Plan(3, 0, keys, maxBuckets: 1, maxZeroThreshold: 0).ShouldBe((-4, 65536.0));
    }

    private static long Total(ReadOnlySpan<NativeBucket> buckets)
    {
        long total = 0;
        foreach (var bucket in buckets)
        {
            total += bucket.Count;
        }

        return total;
    }
}
