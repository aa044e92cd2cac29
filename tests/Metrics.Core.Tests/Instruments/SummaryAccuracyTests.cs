using Microsoft.Extensions.Time.Testing;

namespace Metrics.Tests.Instruments;

public sealed class SummaryAccuracyTests
{
    private const int Observations = 200_000;

    private static readonly Dictionary<double, double> Objectives = new()
    {
        [0.5] = 0.05,
        [0.9] = 0.01,
        [0.99] = 0.001,
    };

    [Test]
    public void Summary_quantiles_of_a_uniform_distribution_lie_within_the_declared_rank_error()
    {
        var random = new Random(20240517);
        var values = new double[Observations];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = random.NextDouble() * 1000;
        }

        AssertWithinDeclaredError(values);
    }

    [Test]
    public void Summary_quantiles_of_a_lognormal_distribution_lie_within_the_declared_rank_error()
    {
        var random = new Random(7);
        var values = new double[Observations];
        for (var i = 0; i < values.Length; i++)
        {
            // Box-Muller: a standard normal from two uniforms; exp(μ + σ·z) is lognormal, like request latencies.
            var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            values[i] = Math.Exp(-2 + (1.5 * normal));
        }

        AssertWithinDeclaredError(values);
    }

    [Test]
    public void Summary_quantiles_of_sorted_input_lie_within_the_declared_rank_error()
    {
        // Ascending input is the adversarial order for a streaming estimator: every value is a new maximum.
        var values = new double[Observations];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = i;
        }

        AssertWithinDeclaredError(values);
    }

    [Test]
    public void Summary_quantiles_of_reverse_sorted_input_lie_within_the_declared_rank_error()
    {
        // Every value a new minimum: the order that makes CKMS's own targeted invariant overshoot its error.
        var values = new double[Observations];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = values.Length - i;
        }

        AssertWithinDeclaredError(values);
    }

    [Test]
    public void Summary_of_few_observations_reports_exact_quantiles()
    {
        var summary = CreateSummary(new FakeTimeProvider());
        for (var i = 1; i <= 10; i++)
        {
            summary.Observe(i);
        }

        var snapshot = Snapshot(summary);
        snapshot.ValueOf(0.5).ShouldBe(5);
        snapshot.ValueOf(0.9).ShouldBe(9);
        snapshot.ValueOf(0.99).ShouldBe(10);
    }

    private static void AssertWithinDeclaredError(double[] values)
    {
        var summary = CreateSummary(new FakeTimeProvider());
        foreach (var value in values)
        {
            summary.Observe(value);
        }

        var snapshot = Snapshot(summary);
        snapshot.Count.ShouldBe(values.Length);
        var sorted = values.ToArray();
        Array.Sort(sorted);
        foreach (var (quantile, error) in Objectives)
        {
            // The estimate must be a value whose rank lies within (q ± ε)·n, as CKMS promises.
            var lowest = sorted[Math.Max(0, (int)Math.Floor((quantile - error) * sorted.Length) - 1)];
            var highest = sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling((quantile + error) * sorted.Length) - 1)];
            var estimate = snapshot.ValueOf(quantile);
            estimate.ShouldBeInRange(lowest, highest, $"q={quantile} ± {error}: exact {sorted[(int)Math.Ceiling(quantile * sorted.Length) - 1]}");
        }
    }

    private static Summary CreateSummary(FakeTimeProvider time)
    {
        var registry = new MetricRegistry(new MetricRegistryOptions { TimeProvider = time });
        return registry.CreateSummary("accuracy_seconds", "Accuracy under test.", new SummaryOptions { Objectives = Objectives });
    }

    private static SummarySnapshot Snapshot(Summary summary) =>
        summary.Family.Registry.Collect().Find(summary.Family.Name)!.Series[0].Summary!;
}
