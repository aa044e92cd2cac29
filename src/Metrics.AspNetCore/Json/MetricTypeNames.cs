namespace Metrics.AspNetCore;

/// <summary>The lower-case type names the JSON endpoints write, as the exposition's <c># TYPE</c> lines spell them.</summary>
internal static class MetricTypeNames
{
    public static string Of(MetricType type) => type switch
    {
        MetricType.Counter => "counter",
        MetricType.Histogram => "histogram",
        MetricType.Summary => "summary",
        _ => "gauge",
    };
}
