namespace Metrics.AspNetCore;

/// <summary>
/// One state a gauge's value stands for, such as 1 for <c>open</c>, shown as a badge in a
/// <see cref="PrometheusMetricsDashboardPanelKind.StateBadges"/> panel or a state column. A value no state names shows
/// as <c>unknown</c>.
/// </summary>
public sealed class PrometheusMetricsDashboardState
{
    /// <summary>Names the state that <paramref name="value"/> stands for.</summary>
    /// <param name="value">The gauge value.</param>
    /// <param name="text">The badge's text, such as <c>open</c>.</param>
    /// <param name="tone">The badge's colour.</param>
    public PrometheusMetricsDashboardState(double value, string text, PrometheusMetricsDashboardTone tone)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        Value = value;
        Text = text;
        Tone = tone;
    }

    /// <summary>The gauge value.</summary>
    public double Value { get; }

    /// <summary>The badge's text.</summary>
    public string Text { get; }

    /// <summary>The badge's colour.</summary>
    public PrometheusMetricsDashboardTone Tone { get; }
}
