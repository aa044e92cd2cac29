namespace Metrics.AspNetCore.Tests;

/// <summary>Reads exact values out of a registry for assertions.</summary>
internal static class MetricsSnapshotReading
{
    /// <summary>The value of the series with <paramref name="labelValues"/>; fails the test when it does not exist.</summary>
    public static double ValueOf(this MetricRegistry registry, string family, params string[] labelValues) =>
        registry.SeriesOf(family, labelValues).Value;

    public static SeriesSnapshot SeriesOf(this MetricRegistry registry, string family, params string[] labelValues)
    {
        var snapshot = registry.Collect().Find(family);
        snapshot.ShouldNotBeNull($"family {family} is not registered");
        var series = snapshot.Find(labelValues);
        series.ShouldNotBeNull($"{family} has no series [{string.Join(", ", labelValues)}]; it has {Describe(snapshot)}");
        return series;
    }

    /// <summary>Every series of <paramref name="family"/> as "label values = value", in exposition order.</summary>
    public static string[] SeriesLines(this MetricRegistry registry, string family)
    {
        var snapshot = registry.Collect().Find(family);
        snapshot.ShouldNotBeNull($"family {family} is not registered");
        return [.. snapshot.Series.Select(Line)];
    }

    private static string Describe(FamilySnapshot family) => string.Join("; ", family.Series.Select(Line));

    private static string Line(SeriesSnapshot series) =>
        $"{string.Join(",", series.LabelValues)} = {series.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}
