namespace Metrics;

/// <summary>
/// The per-point sums of one output series while a reading adds up its tracks: increases (or gauge values), sums and
/// bucket increases. NaN marks a point that no track contributed to.
/// </summary>
internal sealed class SeriesGroup
{
    public SeriesGroup(string[] labelValues, int points, int bucketCount, bool hasSums)
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
    }

    public string[] LabelValues { get; }

    /// <summary>The increase of each point (counters, histogram and summary counts), or the value (gauges).</summary>
    public double[] Totals { get; }

    public double[]? Sums { get; }

    public long[]? Buckets { get; }

    public void AddTotal(int point, double value) => Totals[point] = double.IsNaN(Totals[point]) ? value : Totals[point] + value;
}
