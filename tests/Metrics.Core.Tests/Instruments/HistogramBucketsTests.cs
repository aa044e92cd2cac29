namespace Metrics.Tests.Instruments;

public class HistogramBucketsTests
{
    [Test]
    public void Default_buckets_are_the_prometheus_client_defaults() =>
        HistogramBuckets.Default.ShouldBe([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);

    [Test]
    public void Linear_steps_by_the_width() => HistogramBuckets.Linear(10, 5, 4).ShouldBe([10.0, 15, 20, 25]);

    [Test]
    public void Exponential_multiplies_by_the_factor() => HistogramBuckets.Exponential(0.001, 10, 4).ShouldBe([0.001, 0.01, 0.1, 1], tolerance: 1e-15);

    [TestCase(0, 1, 0)]
    [TestCase(0, 0, 3)]
    [TestCase(0, -1, 3)]
    [TestCase(double.NaN, 1, 3)]
    public void Linear_rejects_bad_arguments(double start, double width, int count) =>
        Should.Throw<ArgumentOutOfRangeException>(() => HistogramBuckets.Linear(start, width, count));

    [TestCase(0, 2, 3)]
    [TestCase(1, 1, 3)]
    [TestCase(1, 2, 0)]
    [TestCase(1e300, 1e10, 3)]
    public void Exponential_rejects_bad_arguments(double start, double factor, int count) =>
        Should.Throw<ArgumentOutOfRangeException>(() => HistogramBuckets.Exponential(start, factor, count));

    [Test]
    public void Bounds_must_be_strictly_increasing()
    {
        var error = Should.Throw<ArgumentException>(() => new MetricRegistry().CreateHistogram("h", "H.", [1, 2, 2]));

        error.ParamName.ShouldBe("buckets");
        error.Message.ShouldStartWith("Bucket bound 2 at index 2 does not exceed the previous bound 2; bounds must be strictly increasing.");
    }

    [Test]
    public void Bounds_must_be_finite()
    {
        var error = Should.Throw<ArgumentException>(() => new MetricRegistry().CreateHistogram("h", "H.", [1, double.NaN]));

        error.Message.ShouldStartWith("Bucket bound NaN at index 1 is not finite; bounds must be finite, and +Inf is implicit.");
    }

    [Test]
    public void At_least_one_finite_bound_is_required()
    {
        Should.Throw<ArgumentException>(() => new MetricRegistry().CreateHistogram("h", "H.", []))
            .Message.ShouldStartWith("A histogram needs at least one finite bucket bound; +Inf is implicit.");
        Should.Throw<ArgumentException>(() => new MetricRegistry().CreateHistogram("h", "H.", [double.PositiveInfinity]))
            .Message.ShouldStartWith("A histogram needs at least one finite bucket bound; +Inf is implicit.");
    }

    [Test]
    public void A_trailing_inf_bound_is_accepted_as_the_implicit_one()
    {
        var histogram = new MetricRegistry().CreateHistogram("h", "H.", [1, 2, double.PositiveInfinity]);

        histogram.UpperBounds.ShouldBe([1.0, 2.0]);
    }
}
