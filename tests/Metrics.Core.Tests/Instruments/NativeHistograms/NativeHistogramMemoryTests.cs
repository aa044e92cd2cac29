using System.Numerics;

namespace Metrics.Tests.Instruments.NativeHistograms;

[NonParallelizable]
public sealed class NativeHistogramMemoryTests
{
    private static readonly int Stripes = Math.Min(16, (int)BitOperations.RoundUpToPowerOf2((uint)Environment.ProcessorCount));

    // The bound of NativeHistogramState's remarks, 8 × (8 + S × (round8(4M + 10) + 8)) + 12 × pow2(2M) + 4M, written out here.
    private static long Formula(int maxBuckets) =>
        (8L * (8 + (Stripes * (RoundUpTo8((4 * maxBuckets) + 10) + 8))))
        + (12L * (long)BitOperations.RoundUpToPowerOf2((uint)(2 * maxBuckets)))
        + (4L * maxBuckets);

    private static int RoundUpTo8(int value) => (value + 7) / 8 * 8;

    [TestCase(160)]
    [TestCase(20)]
    [TestCase(1000)]
    public void Memory_of_a_histogram_that_saw_everything_stays_at_the_stated_bound(int maxBuckets)
    {
        var state = new NativeHistogramState(new NativeHistogramOptions { MaxBucketCount = maxBuckets }, TimeProvider.System);
        var random = new Random(maxBuckets);
        for (var i = 0; i < 100_000; i++)
        {
            state.Observe(BitConverter.Int64BitsToDouble(random.NextInt64(long.MinValue, long.MaxValue)));
            state.Observe(Math.Pow(10, (random.NextDouble() * 12) - 6));
        }

        state.BucketCount.ShouldBeLessThanOrEqualTo(maxBuckets);
        state.FootprintBytes.ShouldBe(Formula(maxBuckets));
        NativeHistogramState.FootprintBound(maxBuckets).ShouldBe(Formula(maxBuckets));
    }

    [Test]
    public void Bound_for_the_default_limit_on_two_processors_is_the_one_documented()
    {
        var twoProcessors = (8L * (8 + (2 * (656 + 8)))) + (12 * 512) + (4 * 160);

        twoProcessors.ShouldBe(17_472);
        if (Stripes == 2)
        {
            Formula(160).ShouldBe(twoProcessors);
        }
    }

    [Test]
    public void A_histogram_with_few_buckets_pays_only_for_room_for_eight()
    {
        var state = new NativeHistogramState(new NativeHistogramOptions(), TimeProvider.System);
        state.Observe(0.1);
        state.Observe(0.2);

        state.FootprintBytes.ShouldBe(Formula(8));
    }

    [Test]
    public void Retained_memory_per_series_is_within_the_bound_plus_object_overheads()
    {
        const int series = 200;
        var states = new NativeHistogramState[series];
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var random = new Random(5);
        for (var s = 0; s < series; s++)
        {
            states[s] = new NativeHistogramState(new NativeHistogramOptions { MaxExemplars = 0 }, TimeProvider.System);
            for (var i = 0; i < 5_000; i++)
            {
                states[s].Observe(BitConverter.Int64BitsToDouble(random.NextInt64(long.MinValue, long.MaxValue)));
            }
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(states);

        var perSeries = (after - before) / (double)series;
        TestContext.Out.WriteLine($"retained per series: {perSeries:F0} B; bound {Formula(160)} B");
        // Object headers, the state, generation and directory objects and the lock add about half a kilobyte to the
        // arrays the formula counts.
        perSeries.ShouldBeLessThan(Formula(160) + 1024);
    }
}
