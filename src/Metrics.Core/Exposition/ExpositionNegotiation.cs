using System.Globalization;

namespace Metrics;

/// <summary>Chooses an exposition format from an HTTP <c>Accept</c> header, as Prometheus's content negotiation expects.</summary>
public static class ExpositionNegotiation
{
    /// <summary>
    /// The supported entry with the highest <c>q</c>, the first listed on a tie; Prometheus text 0.0.4 when no entry
    /// is supported or the header is missing or unreadable. OpenMetrics without a version means 1.0.0; other
    /// OpenMetrics versions, and text versions other than 0.0.4, are not supported. Protobuf is chosen only as
    /// Prometheus asks for it, <c>application/vnd.google.protobuf</c> with
    /// <c>proto=io.prometheus.client.MetricFamily</c> and <c>encoding=delimited</c>, as in the header of
    /// Prometheus 2.x with native histograms on
    /// (<c>application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,application/openmetrics-text;version=1.0.0;q=0.8,…</c>)
    /// and of Prometheus 3, which gives it <c>q=0.5</c> and lower values to the rest.
    /// </summary>
    public static ExpositionFormat Choose(string? accept)
    {
        if (string.IsNullOrWhiteSpace(accept))
        {
            return ExpositionFormat.PrometheusText;
        }

        var best = ExpositionFormat.PrometheusText;
        var bestQuality = 0.0;
        foreach (var range in accept.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (TryRead(range, out var format, out var quality) && quality > bestQuality)
            {
                best = format;
                bestQuality = quality;
            }
        }

        return best;
    }

    /// <summary>
    /// Chooses the format as <see cref="Choose(string?)"/> does, and gives the exact <c>Content-Type</c> to answer
    /// with, for example <c>application/openmetrics-text; version=1.0.0; charset=utf-8</c>.
    /// </summary>
    public static ExpositionFormat Choose(string? accept, out string contentType)
    {
        var format = Choose(accept);
        contentType = MetricsExposition.ContentTypeOf(format);
        return format;
    }

    private static bool TryRead(string range, out ExpositionFormat format, out double quality)
    {
        var parts = range.Split(';', StringSplitOptions.TrimEntries);
        var mediaType = parts[0];
        string? version = null;
        string? proto = null;
        string? encoding = null;
        quality = 1.0;
        for (var i = 1; i < parts.Length; i++)
        {
            var separator = parts[i].IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0)
            {
                continue;
            }

            var name = parts[i][..separator].Trim();
            var value = parts[i][(separator + 1)..].Trim().Trim('"');
            if (name.Equals("q", StringComparison.OrdinalIgnoreCase))
            {
                if (!double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out quality) || quality > 1)
                {
                    quality = 0;
                }
            }
            else if (name.Equals("version", StringComparison.OrdinalIgnoreCase))
            {
                version = value;
            }
            else if (name.Equals("proto", StringComparison.OrdinalIgnoreCase))
            {
                proto = value;
            }
            else if (name.Equals("encoding", StringComparison.OrdinalIgnoreCase))
            {
                encoding = value;
            }
        }

        format = ExpositionFormat.PrometheusText;
        if (mediaType.Equals("application/openmetrics-text", StringComparison.OrdinalIgnoreCase))
        {
            format = ExpositionFormat.OpenMetrics;
            return version is null or "1.0.0";
        }

        if (mediaType.Equals("application/vnd.google.protobuf", StringComparison.OrdinalIgnoreCase))
        {
            format = ExpositionFormat.Protobuf;
            return proto == "io.prometheus.client.MetricFamily" && encoding == "delimited";
        }

        if (mediaType.Equals("text/plain", StringComparison.OrdinalIgnoreCase))
        {
            return version is null or "0.0.4";
        }

        return mediaType is "*/*" or "text/*";
    }
}
