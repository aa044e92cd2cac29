namespace Metrics.Exposition;

/// <summary>Rules both exposition formats share.</summary>
internal static class ExpositionRules
{
    /// <summary>
    /// Whether a family has anything to write. A family with no series, or only failed callbacks, writes no
    /// metadata either, as client_golang does, so an idle labeled family leaves no orphan HELP and TYPE lines.
    /// </summary>
    public static bool HasSamples(MetricFamily family, SeriesList series)
    {
        if (family.Kind is not (SeriesKind.CallbackGauge or SeriesKind.CallbackCounter))
        {
            return series.Count > 0;
        }

        for (var i = 0; i < series.Count; i++)
        {
            if (((ICallbackSeries)series[i]).Source.TryRead(out _))
            {
                return true;
            }
        }

        return false;
    }
}
