using System.Buffers;
using Metrics.Exposition;

namespace Metrics;

/// <summary>Renders a registry in a Prometheus exposition format.</summary>
public static class MetricsExposition
{
    /// <summary>The exact Content-Type of Prometheus text format 0.0.4.</summary>
    public const string PrometheusTextContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>The exact Content-Type of OpenMetrics 1.0.0.</summary>
    public const string OpenMetricsContentType = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    /// <summary>The exact Content-Type of the protobuf format, as client_golang answers with it.</summary>
    public const string ProtobufContentType = "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited";

    /// <summary>The exact Content-Type of <paramref name="format"/>.</summary>
    public static string ContentTypeOf(ExpositionFormat format) => format switch
    {
        ExpositionFormat.OpenMetrics => OpenMetricsContentType,
        ExpositionFormat.Protobuf => ProtobufContentType,
        _ => PrometheusTextContentType,
    };

    /// <summary>
    /// Runs the registry's collection callbacks, then writes every family into <paramref name="output"/>: as UTF-8
    /// text, or as protobuf messages for <see cref="ExpositionFormat.Protobuf"/>. Families come sorted by name and
    /// series in creation order.
    /// </summary>
    public static void Write(MetricRegistry registry, ExpositionFormat format, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(output);
        var families = registry.PrepareCollection();
        if (format == ExpositionFormat.Protobuf)
        {
            Exposition.Protobuf.ProtobufExpositionWriter.Write(families, output);
        }
        else
        {
            ExpositionWriter.Write(families, format, output);
        }
    }

    /// <summary>Renders into pooled memory, then copies the result to <paramref name="destination"/>.</summary>
    public static async Task WriteAsync(MetricRegistry registry, ExpositionFormat format, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        using var buffer = new PooledBufferWriter();
        Write(registry, format, buffer);
        await destination.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }
}
