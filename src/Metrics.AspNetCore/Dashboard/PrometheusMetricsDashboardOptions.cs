namespace Metrics.AspNetCore;

/// <summary>
/// Settings of the dashboard page of <c>MapPrometheusMetricsDashboard</c>: its title, where it reads the live stream,
/// how much history it shows, and its <see cref="Panels"/>. A panel whose families the registry lacks (or that lack
/// the named labels) is left off the page, so the same settings suit an application with or without those metrics.
/// </summary>
public sealed class PrometheusMetricsDashboardOptions
{
    /// <summary>The page's title and heading; <c>Metrics</c> by default.</summary>
    public string Title { get; set; } = "Metrics";

    /// <summary>The route of <c>MapPrometheusMetricsStream</c>, which the page reads; <c>/metrics/stream</c> by default.</summary>
    public string StreamPath { get; set; } = "/metrics/stream";

    /// <summary>How much history the charts show, at most what the sampler keeps; 5 minutes by default.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many of the latest points each sparkline of a table or of the resource grid shows; 60 by default.</summary>
    public int SparklinePoints { get; set; } = 60;

    /// <summary>
    /// The panels, in page order: they fill rows of 12 columns by their <see cref="PrometheusMetricsDashboardPanel.Width"/>,
    /// and the panels of a row that show share the row's width when one of its panels is left off. By default the
    /// built-in <see cref="PrometheusMetricsDashboardPanel.Requests"/> and <see cref="PrometheusMetricsDashboardPanel.Latency"/>
    /// side by side, then <see cref="PrometheusMetricsDashboardPanel.Resources"/> across the page. An application adds
    /// panels over its own families, or clears the list to lay the page out itself.
    /// </summary>
    public IList<PrometheusMetricsDashboardPanel> Panels { get; } =
        [PrometheusMetricsDashboardPanel.Requests(), PrometheusMetricsDashboardPanel.Latency(), PrometheusMetricsDashboardPanel.Resources()];
}
