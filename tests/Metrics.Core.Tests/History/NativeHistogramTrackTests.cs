namespace Metrics.Tests.History;

public sealed class NativeHistogramTrackTests
{
    [Test]
    public void Room_per_point_grows_by_doubling_only_when_a_point_has_more_buckets_and_keeps_the_points_stored()
    {
        var track = new NativeHistogramTrack(capacity: 4, maxBuckets: 160);
        track.Store(0, Snapshot(positive: 3, negative: 0));
        track.Stride.ShouldBe(8);
        track.FootprintBytes.ShouldBe(4 * (36 + (12 * 8)));

        track.Store(1, Snapshot(positive: 6, negative: 3));

        track.Stride.ShouldBe(16);
        track.FootprintBytes.ShouldBe(4 * (36 + (12 * 16)));
        var first = track.At(0, count: 6, sum: 1);
        first.PositiveBuckets.ToArray().ShouldBe([new NativeBucket(1, 1), new NativeBucket(2, 2), new NativeBucket(3, 3)]);
        first.NegativeBuckets.IsEmpty.ShouldBeTrue();
        var second = track.At(1, count: 27, sum: 1);
        second.PositiveBuckets.Length.ShouldBe(6);
        second.NegativeBuckets.ToArray().ShouldBe([new NativeBucket(1, 1), new NativeBucket(2, 2), new NativeBucket(3, 3)]);

        for (var slot = 0; slot < 400; slot++)
        {
            track.Store(slot % 4, Snapshot(positive: 10, negative: 6));
        }

        track.Stride.ShouldBe(16);
    }

    [Test]
    public void Room_per_point_stops_at_the_bucket_limit()
    {
        var track = new NativeHistogramTrack(capacity: 2, maxBuckets: 10);
        track.Store(0, Snapshot(positive: 6, negative: 0));
        track.Store(1, Snapshot(positive: 9, negative: 0));

        track.Stride.ShouldBe(10);
    }

    [Test]
    public void Empty_buckets_are_not_stored()
    {
        var track = new NativeHistogramTrack(capacity: 2, maxBuckets: 160);
        var native = new NativeHistogramSnapshot();
        native.SetTotals(schema: 0, zeroThreshold: 0, zeroCount: 0, count: 5, sum: 1, createdSeconds: 7);
        native.Positive.Append(1, 2, fillSmallGaps: false);
        native.Positive.Append(4, 3, fillSmallGaps: true);

        track.Store(1, native);

        track.At(1, count: 5, sum: 1).PositiveBuckets.ToArray().ShouldBe([new NativeBucket(1, 2), new NativeBucket(4, 3)]);
    }

    /// <summary>A schema-0 snapshot whose bucket i (from 1) of each sign holds i observations.</summary>
    private static NativeHistogramSnapshot Snapshot(int positive, int negative)
    {
        var native = new NativeHistogramSnapshot();
        long count = 0;
        for (var i = 1; i <= positive; i++)
        {
            native.Positive.Append(i, i, fillSmallGaps: false);
            count += i;
        }

        for (var i = 1; i <= negative; i++)
        {
            native.Negative.Append(i, i, fillSmallGaps: false);
            count += i;
        }

        native.SetTotals(schema: 0, zeroThreshold: 0, zeroCount: 0, count: count, sum: 1, createdSeconds: 7);
        return native;
    }
}
