namespace Metrics.Tests.Exposition;

/// <summary>A registry holding every metric type and the label values that break naive writers.</summary>
internal static class EveryTypeRegistry
{
    public static readonly string[] TrickyValues =
    [
        "plain",
        "",
        "back\\slash",
        "\"quoted\"",
        "new\nline",
        "\\n literal",
        "tab\tand\rreturn",
        "unicode ünïcödé 日本語",
        "emoji 🚀🔥",
        "{braces}=,#",
        new string('x', 2_000),
    ];

    public static MetricRegistry Create()
    {
        var registry = new MetricRegistry();
        var counters = registry.CreateCounterFamily("tricky_requests", "Requests with \"quotes\", a back\\slash and a\nnewline in help.", ["value"]);
        var doubles = registry.CreateDoubleCounterFamily("tricky_seconds", "Seconds.", ["value"]);
        var gauges = registry.CreateGaugeFamily("tricky_level", "Levels.", ["value"]);
        var histograms = registry.CreateHistogramFamily("tricky_duration_seconds", "Durations.", ["value"], [0.005, 0.1, 1, 2.5, 1e6]);
        foreach (var value in TrickyValues)
        {
            counters.WithLabels(value).Inc(3);
            doubles.WithLabels(value).Inc(0.25);
            gauges.WithLabels(value).Set(-1.5e-7);
            histograms.WithLabels(value).Observe(0.05);
        }

        registry.CreateGauge("special_nan", "NaN.").Set(double.NaN);
        registry.CreateGauge("special_inf", "Infinity.").Set(double.PositiveInfinity);
        registry.CreateCallbackGauge("pulled_value", "Pulled.", () => 12.75);
        registry.CreateHistogram("negative_bounds", "Negative bounds.", [-10, -1, 0, 1]).Observe(-5);
        return registry;
    }
}
