namespace Metrics;

/// <summary>
/// The metrics a registry keeps about itself, registered in it on first use: failed collection callbacks, and label
/// sets folded into overflow series.
/// </summary>
internal sealed class RegistrySelfMetrics(MetricRegistry registry)
{
    private const string ScrapeErrorsName = "metrics_scrape_errors_total";
    private const string SeriesOverflowName = "metrics_series_overflow_total";
    private const string FamilyLabel = "family";

    private Counter? _scrapeErrors;
    private MetricFamily<Counter>? _seriesOverflow;

    /// <summary>
    /// Throws when a registry-wide constant label would clash with a self-metric's label: the clash would otherwise
    /// surface later, on the measurement path, the first time a family overflows.
    /// </summary>
    public static void ValidateConstantLabel(string name, string parameterName)
    {
        if (name == FamilyLabel)
        {
            throw new ArgumentException(
                $"Invalid constant label '{name}': metric '{SeriesOverflowName}', which every registry keeps, has a label of that name.", parameterName);
        }
    }

    public void RecordScrapeError()
    {
        _scrapeErrors ??= registry.CreateCounter(ScrapeErrorsName, "Failures of collection callbacks; the scrape went on without them.");
        _scrapeErrors.Inc();
    }

    public void RecordSeriesOverflow(string familyName)
    {
        // One series per family name, so registrations bound it; a cap here would fold the counter into itself.
        _seriesOverflow ??= registry.CreateCounterFamily(
            SeriesOverflowName,
            "Lookups of new label sets that were folded into the overflow series because the family reached its cardinality limit.",
            [FamilyLabel],
            new FamilyOptions { CardinalityLimit = int.MaxValue });
        _seriesOverflow.WithLabels(familyName).Inc();
    }
}
