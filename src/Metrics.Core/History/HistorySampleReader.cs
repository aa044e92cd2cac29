namespace Metrics;

/// <summary>
/// Stores the values of one family's series at one point of a <see cref="MetricHistory"/>'s ring, starting a track
/// for each series the first time it reports; the caller holds the history's lock.
/// </summary>
internal readonly struct HistorySampleReader(
    Dictionary<MetricSeries, SeriesTrack> tracks, List<SeriesTrack> trackList, FamilyTrack family, int capacity, long sequence, int slot)
    : ISeriesReader
{
    public void Counter(MetricSeries series, long total) => Track(series, hasSums: false, countsFromZero: true).Values[slot] = total;

    public void Counter(MetricSeries series, double total) => Track(series, hasSums: false, countsFromZero: true).Values[slot] = total;

    public void ExternalCounter(MetricSeries series, double total) => Track(series, hasSums: false, countsFromZero: false).Values[slot] = total;

    public void Gauge(MetricSeries series, double value) => Track(series, hasSums: false, countsFromZero: true).Values[slot] = value;

    public void Histogram(Histogram series, ReadOnlySpan<long> cumulativeCounts, double sum) =>
        Buckets(Track(series, hasSums: true, countsFromZero: true), cumulativeCounts, sum);

    public void NativeHistogram(NativeHistogram series, NativeHistogramSnapshot native, ReadOnlySpan<long> cumulativeCounts, double sum)
    {
        var track = Track(series, hasSums: true, countsFromZero: true);
        if (track.Native is null)
        {
            Buckets(track, cumulativeCounts, sum);
            return;
        }

        track.Native.Store(slot, native);
        track.Sums![slot] = native.Sum;
        track.Values[slot] = native.Count;
    }

    public void Summary(Summary series, ReadOnlySpan<double> quantileValues, long count, double sum)
    {
        var track = Track(series, hasSums: true, countsFromZero: true);
        track.Sums![slot] = sum;
        track.Values[slot] = count;
    }

    private void Buckets(SeriesTrack track, ReadOnlySpan<long> cumulativeCounts, double sum)
    {
        cumulativeCounts.CopyTo(track.BucketsAt(slot));
        track.Sums![slot] = sum;
        track.Values[slot] = cumulativeCounts[^1];
    }

    /// <summary>The track of <paramref name="series"/>, marked present at this point.</summary>
    private SeriesTrack Track(MetricSeries series, bool hasSums, bool countsFromZero)
    {
        if (!tracks.TryGetValue(series, out var track))
        {
            track = new SeriesTrack(series, capacity, family.BucketCount, family.NativeMaxBuckets, sequence, hasSums, countsFromZero);
            tracks.Add(series, track);
            family.Series.Add(track);
            trackList.Add(track);
        }

        track.LastSequence = sequence;
        return track;
    }
}
