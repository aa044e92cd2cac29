using System.Buffers;
using System.Text;

namespace Metrics.Tests.Exposition;

/// <summary>Renders a registry the way a scrape does, as text, for byte-exact comparisons.</summary>
internal static class Scrapes
{
    public static string Render(MetricRegistry registry, ExpositionFormat format)
    {
        var output = new ArrayBufferWriter<byte>();
        MetricsExposition.Write(registry, format, output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }
}
