namespace Metrics.AspNetCore;

/// <summary>How a state badge is coloured.</summary>
public enum PrometheusMetricsDashboardTone
{
    /// <summary>The muted colour of text that needs no attention.</summary>
    Neutral,

    /// <summary>Green: all is well.</summary>
    Good,

    /// <summary>Amber: degraded or recovering.</summary>
    Warning,

    /// <summary>Red: failing.</summary>
    Bad,
}
