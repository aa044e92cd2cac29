namespace Metrics;

/// <summary>
/// The per-point sums of one output series while a reading adds up its tracks: increases (or gauge values), sums and
/// bucket increases, or native histogram increases. NaN marks a point that no track contributed to.
/// </summary>
internal sealed class SeriesGroup
{
    public SeriesGroup(string[] labelValues, int points, int bucketCount, bool hasSums, bool native)
    {
        LabelValues = labelValues;
        Totals = new double[points];
        Array.Fill(Totals, double.NaN);
        if (hasSums)
        {
            Sums = new double[points];
        }

        if (bucketCount > 0)
        {
            Buckets = new long[points * bucketCount];
        }

        if (native)
        {
            NativeIncreases = new List<NativeHistogramSnapshot>[points];
            for (var point = 0; point < points; point++)
            {
                NativeIncreases[point] = [];
            }
        }
    }

    public string[] LabelValues { get; }

    /// <summary>The increase of each point (counters, histogram and summary counts), or the value (gauges).</summary>
    public double[] Totals { get; }

    public double[]? Sums { get; }

    public long[]? Buckets { get; }

    /// <summary>For each point, the native histograms of the observations each track made there; null unless the family's quantiles come from native buckets.</summary>
    public List<NativeHistogramSnapshot>[]? NativeIncreases { get; }

    public void AddTotal(int point, double value) => Totals[point] = double.IsNaN(Totals[point]) ? value : Totals[point] + value;
}
