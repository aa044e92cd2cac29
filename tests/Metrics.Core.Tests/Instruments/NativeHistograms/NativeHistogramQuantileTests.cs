namespace Metrics.Tests.Instruments.NativeHistograms;

// Expected values are worked by hand from Prometheus 2.42's histogramQuantile: walk the buckets from the most
// negative up until the running count reaches rank = q × count, then interpolate linearly inside that bucket:
// lower + (upper - lower) × (rank - count before the bucket) / bucket count.
public sealed class NativeHistogramQuantileTests
{
    private static NativeHistogramSnapshot Histogram(double zeroThreshold, params double[] values)
    {
        var state = new NativeHistogramState(new NativeHistogramOptions { BucketFactor = 2, ZeroThreshold = zeroThreshold }, TimeProvider.System);
        foreach (var value in values)
        {
            state.Observe(value);
        }

        return NativeHistogramStateTests.Capture(state);
    }

    // Schema 0; 1 in (0.5, 1], 3 and 3 in (2, 4], 5 in (4, 8]; bucket (1, 2] is an empty filler. Count 4.
    [TestCase(0.5, 3.0)] // rank 2: (2, 4] ends at 3; 2 + 2 × (2 - 1) / 2
    [TestCase(0.99, 7.84)] // rank 3.96: (4, 8]; 4 + 4 × (3.96 - 3) / 1
    [TestCase(0.0, 0.5)] // rank 0: the first bucket; 0.5 + 0.5 × 0 / 1
    [TestCase(0.25, 1.0)] // rank 1: (0.5, 1]; 0.5 + 0.5 × 1 / 1
    [TestCase(1.0, 8.0)] // rank 4: (4, 8]; 4 + 4 × 1 / 1
    public void Quantile_interpolates_linearly_inside_the_bucket_where_the_rank_falls(double q, double expected)
    {
        NativeHistogramQuantile.Estimate(q, Histogram(0, 1, 3, 3, 5)).ShouldBe(expected, tolerance: 1e-12);
    }

    [Test]
    public void Quantile_in_the_zero_bucket_of_a_histogram_with_only_positive_buckets_starts_the_zero_bucket_at_zero()
    {
        var threshold = Math.ScaleB(1.0, -128);

        // 0, 0 in the zero bucket, 1 in (0.5, 1]. rank 1.5 falls in the zero bucket, whose lower bound becomes 0:
        // 0 + threshold × 1.5 / 2.
        NativeHistogramQuantile.Estimate(0.5, Histogram(threshold, 0, 0, 1)).ShouldBe(threshold * 0.75);
    }

    // -3 in [-4, -2), -1 in [-1, -0.5), 0 in the zero bucket, 2 in (1, 2]; [-2, -1) is an empty filler. Count 4.
    [TestCase(0.1, -3.2)] // rank 0.4: [-4, -2); -4 + 2 × 0.4 / 1
    [TestCase(0.5, -0.5)] // rank 2: [-1, -0.5), the running count reaching 2 there; -1 + 0.5 × (2 - 1) / 1
    [TestCase(0.9, 1.6)] // rank 3.6: (1, 2]; 1 + 1 × (3.6 - 3) / 1
    public void Quantile_walks_negative_buckets_then_the_zero_bucket_then_positive_ones(double q, double expected)
    {
        NativeHistogramQuantile.Estimate(q, Histogram(0.25, -3, -1, 0, 2)).ShouldBe(expected, tolerance: 1e-12);
    }

    [Test]
    public void Quantile_in_the_zero_bucket_of_a_histogram_with_both_signs_spans_the_whole_zero_bucket()
    {
        // rank 2.4 falls in [-0.25, 0.25], the running count going from 2 to 3: -0.25 + 0.5 × 0.4 / 1.
        NativeHistogramQuantile.Estimate(0.6, Histogram(0.25, -3, -1, 0, 2)).ShouldBe(-0.05, tolerance: 1e-15);
    }

    [Test]
    public void Quantile_at_schema_3_uses_prometheus_boundaries()
    {
        var state = new NativeHistogramState(new NativeHistogramOptions(), TimeProvider.System);
        for (var i = 0; i < 10; i++)
        {
            state.Observe(1);
        }

        // All ten in bucket 0, (0.9170040432046711, 1]: rank 5 is halfway through it.
        NativeHistogramQuantile.Estimate(0.5, NativeHistogramStateTests.Capture(state))
            .ShouldBe(0.9170040432046711 + ((1 - 0.9170040432046711) * 0.5));
    }

    [Test]
    public void Quantile_outside_zero_to_one_or_of_nothing_follows_prometheus()
    {
        var histogram = Histogram(0, 1, 3);

        NativeHistogramQuantile.Estimate(-0.1, histogram).ShouldBe(double.NegativeInfinity);
        NativeHistogramQuantile.Estimate(1.1, histogram).ShouldBe(double.PositiveInfinity);
        double.IsNaN(NativeHistogramQuantile.Estimate(double.NaN, histogram)).ShouldBeTrue();
        double.IsNaN(NativeHistogramQuantile.Estimate(0.5, Histogram(0))).ShouldBeTrue();
    }
}
