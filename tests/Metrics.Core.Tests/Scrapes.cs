using System.Buffers;
using System.Text;

namespace Metrics.Tests;

/// <summary>Renders a registry the way a scrape does, as text.</summary>
internal static class Scrapes
{
    public static string Render(MetricRegistry registry, ExpositionFormat format = ExpositionFormat.PrometheusText)
    {
        var buffer = new ArrayBufferWriter<byte>();
        MetricsExposition.Write(registry, format, buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
