namespace Metrics.Tests.Instruments;

/// <summary>
/// What one read of a <see cref="NativeHistogram"/> handed its reader, copied out of the reused snapshot: the native
/// buckets (empty fillers left out), count, zero count, sum and exemplars, and the classic view the text formats show.
/// </summary>
internal sealed record NativeHistogramRead(
    int Schema,
    long Count,
    long ZeroCount,
    double Sum,
    NativeBucket[] Positive,
    NativeBucket[] Negative,
    NativeHistogramExemplar[] Exemplars,
    long[] ClassicCounts,
    double ClassicSum)
{
    public static NativeHistogramRead Of(NativeHistogram histogram)
    {
        var reader = default(Capture);
        histogram.Read(ref reader);
        return reader.Result!;
    }

    private struct Capture : ISeriesReader
    {
        public NativeHistogramRead? Result;

        public void NativeHistogram(NativeHistogram series, NativeHistogramSnapshot native, ReadOnlySpan<long> cumulativeCounts, double sum) =>
            Result = new NativeHistogramRead(
                native.Schema,
                native.Count,
                native.ZeroCount,
                native.Sum,
                Occupied(native.PositiveBuckets),
                Occupied(native.NegativeBuckets),
                native.Exemplars.ToArray(),
                cumulativeCounts.ToArray(),
                sum);

        public void Counter(MetricSeries series, long total) => throw Unexpected();

        public void Counter(MetricSeries series, double total) => throw Unexpected();

        public void ExternalCounter(MetricSeries series, double total) => throw Unexpected();

        public void Gauge(MetricSeries series, double value) => throw Unexpected();

        public void Histogram(Histogram series, ReadOnlySpan<long> cumulativeCounts, double sum) => throw Unexpected();

        public void Summary(Summary series, ReadOnlySpan<double> quantileValues, long count, double sum) => throw Unexpected();

        private static NativeBucket[] Occupied(ReadOnlySpan<NativeBucket> buckets)
        {
            var occupied = new List<NativeBucket>();
            foreach (var bucket in buckets)
            {
                if (bucket.Count != 0)
                {
                    occupied.Add(bucket);
                }
            }

            return [.. occupied];
        }

        private static InvalidOperationException Unexpected() => new("A native histogram read itself as another kind of series.");
    }
}
