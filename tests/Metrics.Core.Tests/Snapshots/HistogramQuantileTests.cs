namespace Metrics.Tests.Snapshots;

/// <summary>Cases computed by hand with PromQL's histogram_quantile: rank = q·count, then linear interpolation.</summary>
public sealed class HistogramQuantileTests
{
    // Buckets ≤1: 2, ≤2: 4 more, ≤4: 2 more, +Inf: 2 more; cumulative 2, 6, 8, 10.
    private static HistogramSnapshot TenObservations() => Snapshot([1, 2, 4], [0.5, 0.5, 1.5, 1.5, 1.5, 1.5, 3, 3, 10, 10]);

    [TestCase(0.5, 1.75)] // rank 5 in (1, 2] holding 4 from rank 2: 1 + 1 · 3/4.
    [TestCase(0.7, 3.0)] // rank 7 in (2, 4] holding 2 from rank 6: 2 + 2 · 1/2.
    [TestCase(0.6, 2.0)] // rank 6 is exactly the end of (1, 2].
    [TestCase(0.4, 1.5)] // rank 4 in (1, 2]: 1 + 1 · 2/4.
    public void Quantile_interpolates_linearly_inside_the_bucket_that_holds_the_rank(double q, double expected) =>
        TenObservations().Quantile(q).ShouldBe(expected);

    [TestCase(0.1, 0.5)] // rank 1 of the 2 in (0, 1].
    [TestCase(0.2, 1.0)]
    [TestCase(0.0, 0.0)]
    public void Quantile_takes_zero_as_the_lower_bound_of_a_first_bucket_with_a_positive_bound(double q, double expected) =>
        TenObservations().Quantile(q).ShouldBe(expected);

    [TestCase(0.81)]
    [TestCase(0.9)]
    [TestCase(1.0)]
    public void Quantile_returns_the_highest_finite_bound_when_the_rank_falls_in_the_inf_bucket(double q) =>
        TenObservations().Quantile(q).ShouldBe(4);

    [Test]
    public void Quantile_returns_the_first_bound_when_the_rank_falls_in_a_first_bucket_with_a_negative_bound()
    {
        // Cumulative 3, 4, 6, 6 over bounds -1, 0, 1, +Inf.
        var snapshot = Snapshot([-1, 0, 1], [-2, -2, -2, -0.5, 0.5, 0.75]);

        snapshot.Quantile(0.25).ShouldBe(-1); // rank 1.5 in (-Inf, -1]: no lower bound to interpolate from.
        snapshot.Quantile(0.5).ShouldBe(-1); // rank 3, the end of the first bucket.
        snapshot.Quantile(0.6).ShouldBe(-0.4, 1e-12); // rank 3.6 in (-1, 0] holding 1 from rank 3: -1 + 1 · 0.6.
        snapshot.Quantile(0.75).ShouldBe(0.25); // rank 4.5 in (0, 1] holding 2 from rank 4: 0 + 1 · 0.5/2.
    }

    [Test]
    public void Quantile_returns_a_first_bound_of_exactly_zero_when_the_rank_falls_in_that_bucket()
    {
        var snapshot = Snapshot([0, 1], [0, 0, 0.5]);

        snapshot.Quantile(0.5).ShouldBe(0);
        snapshot.Quantile(0.9).ShouldBe(0.7, 1e-12); // rank 2.7 in (0, 1] holding 1 from rank 2.
    }

    [Test]
    public void Quantile_skips_empty_buckets_to_the_first_whose_cumulative_count_reaches_the_rank()
    {
        // Cumulative 2, 2, 2, 4 over bounds 1, 2, 3, +Inf: rank 2 ends the first bucket, rank 3 is in +Inf.
        var snapshot = Snapshot([1, 2, 3], [0.5, 0.5, 9, 9]);

        snapshot.Quantile(0.5).ShouldBe(1);
        snapshot.Quantile(0.75).ShouldBe(3);
    }

    [TestCase(0.0)]
    [TestCase(0.5)]
    [TestCase(1.0)]
    public void Quantile_of_an_empty_histogram_is_NaN(double q) => Snapshot([1, 2], []).Quantile(q).ShouldBe(double.NaN);

    [Test]
    public void Quantile_below_zero_is_negative_infinity_and_above_one_positive_infinity_even_when_empty()
    {
        TenObservations().Quantile(-0.1).ShouldBe(double.NegativeInfinity);
        TenObservations().Quantile(1.1).ShouldBe(double.PositiveInfinity);
        Snapshot([1], []).Quantile(-1).ShouldBe(double.NegativeInfinity);
        Snapshot([1], []).Quantile(2).ShouldBe(double.PositiveInfinity);
    }

    [Test]
    public void Quantile_of_NaN_is_NaN()
    {
        TenObservations().Quantile(double.NaN).ShouldBe(double.NaN);
        Snapshot([1], []).Quantile(double.NaN).ShouldBe(double.NaN);
    }

    [Test]
    public void Quantile_zero_of_an_empty_first_bucket_is_NaN_as_in_PromQL()
    {
        // Rank 0 lands in the first bucket, which holds nothing: PromQL divides 0 by 0.
        Snapshot([1, 2], [1.5]).Quantile(0).ShouldBe(double.NaN);
    }

    private static HistogramSnapshot Snapshot(double[] bounds, double[] observations)
    {
        var registry = new MetricRegistry();
        var histogram = registry.CreateHistogram("observed", "Observations under test.", bounds);
        foreach (var observation in observations)
        {
            histogram.Observe(observation);
        }

        return registry.Collect().Find("observed")!.Series[0].Histogram!;
    }

    [Test]
    public void Adding_histograms_sums_their_buckets_like_sum_by_le_and_estimates_across_them()
    {
        var registry = new MetricRegistry();
        var family = registry.CreateHistogramFamily("latency_seconds", "Latency.", ["provider"], [1, 2, 4]);
        family.WithLabels("a").Observe(0.5);
        family.WithLabels("a").Observe(1.5);
        family.WithLabels("b").Observe(3);
        family.WithLabels("b").Observe(10);
        var series = registry.Collect().Find("latency_seconds")!.Series;

        var total = HistogramSnapshot.Add([series[0].Histogram!, series[1].Histogram!]);

        total.UpperBounds.ShouldBe([1, 2, 4, double.PositiveInfinity]);
        total.CumulativeCounts.ShouldBe([1L, 2L, 3L, 4L]);
        total.Count.ShouldBe(4);
        total.Sum.ShouldBe(15);
        // rank 2 of 4 falls at the top of the (1, 2] bucket.
        total.Quantile(0.5).ShouldBe(2);
    }

    [Test]
    public void Adding_histograms_with_different_bounds_or_none_at_all_throws()
    {
        var registry = new MetricRegistry();
        registry.CreateHistogram("a_seconds", "A.", [1, 2]).Observe(1);
        registry.CreateHistogram("b_seconds", "B.", [1, 3]).Observe(1);
        var snapshot = registry.Collect();

        Should.Throw<ArgumentException>(() => HistogramSnapshot.Add(
                [snapshot.Find("a_seconds")!.Series[0].Histogram!, snapshot.Find("b_seconds")!.Series[0].Histogram!]))
            .Message.ShouldStartWith("Only histograms with the same bucket bounds can be added: [1, 2, Infinity] differs from [1, 3, Infinity].");
        Should.Throw<ArgumentException>(() => HistogramSnapshot.Add([])).Message.ShouldStartWith("Adding histograms needs at least one histogram.");
    }
}
