namespace Metrics;

/// <summary>
/// Which family a <see cref="MetricHistory"/> read returns, and how: every series on its own, or summed by some of
/// its labels like PromQL's <c>sum by (…)</c>.
/// </summary>
/// <param name="Family">The family's exposed name; counters end in <c>_total</c>.</param>
/// <param name="By">
/// Null for one result per series; otherwise the label names to keep, summing the series that share their values
/// (rates and histogram bucket increases are summed before quantiles are estimated). Empty sums every series into one.
/// </param>
public readonly record struct HistorySelector(string Family, IReadOnlyList<string>? By = null);
