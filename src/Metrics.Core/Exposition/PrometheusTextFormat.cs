using System.Buffers;
using Metrics.Exposition;

namespace Metrics;

/// <summary>Renders a registry in the Prometheus text exposition format, version 0.0.4.</summary>
public static class PrometheusTextFormat
{
    /// <summary>The exact Content-Type of this format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>
    /// Runs the registry's collection callbacks, then writes every family as UTF-8 into <paramref name="output"/>.
    /// Families come sorted by name and series in creation order.
    /// </summary>
    public static void Write(MetricRegistry registry, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(output);
        PrometheusTextWriter.Write(registry.PrepareCollection(), output);
    }

    /// <summary>Renders into pooled memory, then copies the result to <paramref name="destination"/>.</summary>
    public static async Task WriteAsync(MetricRegistry registry, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        using var buffer = new PooledBufferWriter();
        Write(registry, buffer);
        await destination.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }
}
