using System.Buffers;
using System.Text;

namespace Metrics.Tests;

/// <summary>Renders a registry to a string for byte-exact assertions.</summary>
internal static class ExpositionText
{
    public static string Of(MetricRegistry registry, ExpositionFormat format = ExpositionFormat.PrometheusText)
    {
        var output = new ArrayBufferWriter<byte>();
        MetricsExposition.Write(registry, format, output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }
}
