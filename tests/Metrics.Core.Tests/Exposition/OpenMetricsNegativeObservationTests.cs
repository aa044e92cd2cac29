using Metrics.Testing;

namespace Metrics.Tests.Exposition;

/// <summary>
/// OpenMetrics makes a histogram's or summary's <c>_sum</c> a counter, which must never be negative or NaN, and
/// forbids negative quantile values. Negative observations are still legal (the 0.0.4 text format carries them all),
/// so the OpenMetrics writer leaves out exactly the samples that would break those rules. Found by the random-input
/// property test of Interop.Tests (strict parser: "Counter-like samples cannot be negative", "Quantile values cannot
/// be negative").
/// </summary>
public sealed class OpenMetricsNegativeObservationTests
{
    [Test]
    public void Histogram_with_non_negative_bounds_leaves_out_count_and_sum_while_its_sum_is_negative()
    {
        var registry = new MetricRegistry();
        var histogram = registry.CreateHistogram("offset_seconds", "Clock offset.", [0, 1]);
        histogram.Observe(-2);
        histogram.Observe(0.5);

        var openMetrics = ExpositionText.Of(registry, ExpositionFormat.OpenMetrics);

        openMetrics.ShouldBe("""
            # TYPE offset_seconds histogram
            # HELP offset_seconds Clock offset.
            offset_seconds_bucket{le="0.0"} 1
            offset_seconds_bucket{le="1.0"} 2
            offset_seconds_bucket{le="+Inf"} 2
            # EOF

            """.ReplaceLineEndings("\n"));
        ShouldParse(openMetrics);
        ExpositionText.Of(registry).ShouldContain("offset_seconds_sum -1.5\noffset_seconds_count 2\n");
    }

    [Test]
    public void Histogram_whose_sum_is_NaN_from_both_infinities_leaves_out_count_and_sum()
    {
        var registry = new MetricRegistry();
        var histogram = registry.CreateHistogram("spread", "Spread.", [1]);
        histogram.Observe(double.PositiveInfinity);
        histogram.Observe(double.NegativeInfinity);

        var openMetrics = ExpositionText.Of(registry, ExpositionFormat.OpenMetrics);

        openMetrics.ShouldBe("""
            # TYPE spread histogram
            # HELP spread Spread.
            spread_bucket{le="1.0"} 1
            spread_bucket{le="+Inf"} 2
            # EOF

            """.ReplaceLineEndings("\n"));
        ShouldParse(openMetrics);
    }

    [Test]
    public void Histogram_with_a_positive_infinite_sum_keeps_count_and_sum()
    {
        var registry = new MetricRegistry();
        registry.CreateHistogram("size_bytes", "Size.", [1]).Observe(double.PositiveInfinity);

        var openMetrics = ExpositionText.Of(registry, ExpositionFormat.OpenMetrics);

        openMetrics.ShouldContain("size_bytes_bucket{le=\"+Inf\"} 1\nsize_bytes_count 1\nsize_bytes_sum +Inf\n");
        ShouldParse(openMetrics);
    }

    [Test]
    public void Summary_leaves_out_negative_quantile_values_and_a_negative_sum_but_keeps_its_count()
    {
        var registry = new MetricRegistry();
        var summary = registry.CreateSummary(
            "temperature_celsius", "Temperature.", new SummaryOptions { Objectives = new Dictionary<double, double> { [0.5] = 0.05, [0.99] = 0.001 } });
        summary.Observe(-30);
        summary.Observe(-20);
        summary.Observe(5);

        var openMetrics = ExpositionText.Of(registry, ExpositionFormat.OpenMetrics);

        openMetrics.ShouldBe("""
            # TYPE temperature_celsius summary
            # HELP temperature_celsius Temperature.
            temperature_celsius{quantile="0.99"} 5
            temperature_celsius_count 3
            # EOF

            """.ReplaceLineEndings("\n"));
        ShouldParse(openMetrics);
        ExpositionText.Of(registry).ShouldContain("temperature_celsius{quantile=\"0.5\"} -20\n");
        ExpositionText.Of(registry).ShouldContain("temperature_celsius_sum -45\ntemperature_celsius_count 3\n");
    }

    [Test]
    public void Summary_with_a_NaN_sum_leaves_it_out_and_keeps_its_count()
    {
        var registry = new MetricRegistry();
        var summary = registry.CreateSummary("spread", "Spread.");
        summary.Observe(double.PositiveInfinity);
        summary.Observe(double.NegativeInfinity);

        var openMetrics = ExpositionText.Of(registry, ExpositionFormat.OpenMetrics);

        openMetrics.ShouldBe("# TYPE spread summary\n# HELP spread Spread.\nspread_count 2\n# EOF\n");
        ShouldParse(openMetrics);
    }

    private static void ShouldParse(string openMetrics)
    {
        using var parsed = OpenMetricsParser.Parse(openMetrics);
        parsed.RootElement.GetProperty("ok").GetBoolean().ShouldBeTrue(parsed.RootElement.ToString());
    }
}
