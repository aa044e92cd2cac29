namespace Metrics;

/// <summary>The exposition formats a registry can be rendered in.</summary>
public enum ExpositionFormat
{
    /// <summary>Prometheus text format 0.0.4: <c>text/plain; version=0.0.4; charset=utf-8</c>.</summary>
    PrometheusText,

    /// <summary>OpenMetrics 1.0.0: <c>application/openmetrics-text; version=1.0.0; charset=utf-8</c>.</summary>
    OpenMetrics,

    /// <summary>
    /// The protobuf format: length-delimited <c>io.prometheus.client.MetricFamily</c> messages,
    /// <c>application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited</c>. The only
    /// format that carries native histograms; Prometheus asks for it first when its native histograms are on.
    /// </summary>
    Protobuf,
}
