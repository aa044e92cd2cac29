namespace Metrics.Tests.Instruments.NativeHistograms;

// Expected results follow Prometheus 2.42's FloatHistogram.Add, worked by hand in the comments.
public sealed class NativeHistogramSumTests
{
    private static NativeHistogramSnapshot Histogram(double bucketFactor, double zeroThreshold, params double[] values)
    {
        var state = new NativeHistogramState(new NativeHistogramOptions { BucketFactor = bucketFactor, ZeroThreshold = zeroThreshold }, TimeProvider.System);
        foreach (var value in values)
        {
            state.Observe(value);
        }

        return NativeHistogramStateTests.Capture(state);
    }

    private static NativeHistogramSnapshot Sum(params NativeHistogramSnapshot[] parts)
    {
        var result = new NativeHistogramSnapshot();
        NativeHistogramSum.Of(parts, result);
        return result;
    }

    [Test]
    public void Sum_of_histograms_with_one_layout_adds_bucket_by_bucket()
    {
        // Schema 0: {1 → 0, 3 → 2} and {3 → 2, 100 → 7}.
        var sum = Sum(Histogram(2, 0, 1, 3), Histogram(2, 0, 3, 100));

        sum.Schema.ShouldBe(0);
        sum.Count.ShouldBe(4);
        sum.Sum.ShouldBe(107);
        sum.PositiveBuckets.ToArray().Where(b => b.Count != 0).ShouldBe([new(0, 1), new(2, 2), new(7, 1)]);
        double.IsNaN(sum.CreatedSeconds).ShouldBeTrue();
    }

    [Test]
    public void Sum_takes_the_lowest_schema_and_merges_finer_buckets_into_it()
    {
        // Schema 1 (factor √2): 1.5 in bucket 2 (√2, 2], 3 in bucket 4 (2√2, 4]. Schema 0: 1.5 in bucket 1 (1, 2].
        // At schema 0, bucket 2 of schema 1 is ceil(2 / 2) = 1 and bucket 4 is 2.
        var fine = Histogram(Math.Sqrt(2), 0, 1.5, 3);
        fine.Schema.ShouldBe(1);
        var coarse = Histogram(2, 0, 1.5);

        foreach (var sum in new[] { Sum(fine, coarse), Sum(coarse, fine) })
        {
            sum.Schema.ShouldBe(0);
            sum.PositiveBuckets.ToArray().Where(b => b.Count != 0).ShouldBe([new(1, 2), new(2, 1)]);
            sum.Count.ShouldBe(3);
            sum.Sum.ShouldBe(6);
        }
    }

    [Test]
    public void Sum_widens_the_narrower_zero_bucket_taking_in_the_buckets_below_the_wider_threshold()
    {
        // A: threshold 2^-128, 0.3 in (0.25, 0.5], 3 in (2, 4]. B: threshold 0.5, 0.4 in its zero bucket, 0.7 in
        // (0.5, 1]. A widens to 0.5: its (0.25, 0.5] joins the zero bucket, so the zero count is 1 + 1.
        var sum = Sum(Histogram(2, Math.ScaleB(1.0, -128), 0.3, 3), Histogram(2, 0.5, 0.4, 0.7));

        sum.ZeroThreshold.ShouldBe(0.5);
        sum.ZeroCount.ShouldBe(2);
        sum.PositiveBuckets.ToArray().Where(b => b.Count != 0).ShouldBe([new(0, 1), new(2, 1)]);
        sum.Count.ShouldBe(4);
        sum.Sum.ShouldBe((0.3 + 3) + (0.4 + 0.7));
    }

    [Test]
    public void Sum_raises_a_zero_threshold_that_falls_inside_a_populated_bucket_to_that_bucket_upper_bound()
    {
        // A: 0.7 in (0.5, 1]. B: threshold 0.75, 0.6 in its zero bucket, 3 in (2, 4]. Widening A to 0.75 lands
        // inside (0.5, 1], which holds 0.7, so the threshold becomes 1 and takes that bucket in; B then widens to 1
        // and takes in nothing more.
        var sum = Sum(Histogram(2, 0, 0.7), Histogram(2, 0.75, 0.6, 3));

        sum.ZeroThreshold.ShouldBe(1);
        sum.ZeroCount.ShouldBe(2);
        sum.PositiveBuckets.ToArray().Where(b => b.Count != 0).ShouldBe([new NativeBucket(2, 1)]);
        sum.Count.ShouldBe(3);
        // rank 1.5 falls in the zero bucket, [0, 1] as there are only positive buckets: 0 + 1 × 1.5 / 2.
        NativeHistogramQuantile.Estimate(0.5, sum).ShouldBe(0.75, tolerance: 1e-12);
    }

    [Test]
    public void Sum_of_nothing_is_rejected()
    {
        Should.Throw<ArgumentException>(() => NativeHistogramSum.Of([], new NativeHistogramSnapshot()))
            .Message.ShouldStartWith("Summing native histograms needs at least one histogram.");
    }
}
