namespace Metrics.Tests.Instruments.NativeHistograms;

public sealed class NativeHistogramConcurrencyTests
{
    [Test]
    public void Every_snapshot_taken_during_four_writers_is_consistent_and_the_final_totals_are_exact()
    {
        var state = new NativeHistogramState(new NativeHistogramOptions(), TimeProvider.System);
        // Each value has a bucket of its own (or the zero bucket), so a snapshot's sum is fixed by its bucket counts;
        // every partial sum is an exact binary fraction, so it must match to the last bit.
        double[] values = [0, 0.5, 1, 2, 4, -1, -8, 1024];
        var valueOfBucket = new Dictionary<(bool Negative, int Index), double>();
        foreach (var value in values.Where(value => value != 0))
        {
            valueOfBucket[(value < 0, NativeHistogramSchema.BucketIndex(Math.Abs(value), 3))] = value;
        }

        var snapshots = WhileScraping(state, snapshot =>
        {
            var (counted, sum) = CountAndSum(snapshot, valueOfBucket);
            snapshot.Count.ShouldBe(snapshot.ZeroCount + counted, "count = zero count + Σ buckets");
            snapshot.Sum.ShouldBe(sum, "the sum is that of exactly the observations counted");
        }, thread =>
        {
            for (var i = 0; i < 1_000_000; i++)
            {
                state.Observe(values[(i + thread) & 7]);
            }
        });

        var final = NativeHistogramStateTests.Capture(state);
        final.Count.ShouldBe(4_000_000);
        final.ZeroCount.ShouldBe(500_000);
        final.Sum.ShouldBe(500_000 * (0.5 + 1 + 2 + 4 - 1 - 8 + 1024));
        final.PositiveBuckets.ToArray().Where(b => b.Count > 0).Select(b => b.Count).ShouldAllBe(c => c == 500_000);
        final.NegativeBuckets.ToArray().Where(b => b.Count > 0).Select(b => b.Count).ShouldBe([500_000L, 500_000L]);
        snapshots.ShouldBeGreaterThan(0);
        TestContext.Out.WriteLine($"{snapshots} snapshots taken during the writes");
    }

    [Test]
    public void Snapshots_stay_consistent_while_concurrent_writers_create_buckets_and_force_reductions()
    {
        var state = new NativeHistogramState(new NativeHistogramOptions { BucketFactor = 1.01, MaxBucketCount = 20 }, TimeProvider.System);
        var snapshots = WhileScraping(state, AssertConsistentWithBounds, thread =>
        {
            var random = new Random(thread);
            for (var i = 0; i < 250_000; i++)
            {
                // Log-uniform over 1e-3 … 1e3, both signs: many more buckets than 20 at schema 7.
                var magnitude = Math.Pow(10, (random.NextDouble() * 6) - 3);
                state.Observe((i & 1) == 0 ? magnitude : -magnitude);
            }
        });

        snapshots.ShouldBeGreaterThan(0);
        var final = NativeHistogramStateTests.Capture(state);
        final.Count.ShouldBe(1_000_000);
        AssertConsistentWithBounds(final);
        state.BucketCount.ShouldBeLessThanOrEqualTo(20);
        final.Schema.ShouldBeLessThan(7);
    }

    [Test]
    public void The_sum_of_parts_from_two_stripes_reads_the_same_at_every_scrape_and_never_falls()
    {
        var stripes = Math.Min(16, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Environment.ProcessorCount));
        Assume.That(stripes, Is.GreaterThanOrEqualTo(2), "stripes are per processor: parts on two stripes need two processors");
        var state = new NativeHistogramState(new NativeHistogramOptions(), TimeProvider.System);
        var layout = (NativeHistogramLayout)typeof(NativeHistogramState).GetField("_layout", Private)!.GetValue(state)!;
        var cells = (long[])typeof(NativeHistogramLayout).GetField("_cells", Private)!.GetValue(layout)!;
        var stripeStride = (int)typeof(NativeHistogramLayout).GetField("_stripeStride", Private)!.GetValue(layout)!;
        var areaStride = (int)typeof(NativeHistogramLayout).GetField("_areaStride", Private)!.GetValue(layout)!;
        // Set 0 is hot in a new layout; its owner area starts 2 cells into the stripe, its overflow area follows.
        const int firstStripe = 8, firstArea = 2;
        var secondStripe = firstStripe + stripeStride;
        // Zero-bucket observations, as a writer on each stripe would have left them (one by its owner path, one
        // beside a preempted owner). At 2^53 + 2 the spacing of doubles is 2: adding 1 first and then 1.5 rounds
        // twice, to 2^53 + 6, while the exact total 2^53 + 4.5 rounds to 2^53 + 4. A scrape that adds stripe parts
        // in another grouping than the next one reads a _sum that then falls, which rate() takes for a reset.
        AddZeroObservation(cells, firstStripe + firstArea, 9007199254740994.0);
        AddZeroObservation(cells, secondStripe + firstArea, 1.0);
        AddZeroObservation(cells, secondStripe + firstArea + areaStride, 1.5);

        var first = NativeHistogramStateTests.Capture(state);
        var second = NativeHistogramStateTests.Capture(state);

        first.Count.ShouldBe(3);
        first.Sum.ShouldBe(9007199254740996.0, "each stripe's parts added first, then the stripes: the exact total rounded once");
        second.Count.ShouldBe(3);
        second.Sum.ShouldBe(first.Sum);
    }

    private static void AddZeroObservation(long[] cells, int area, double value)
    {
        cells[area] += 1;
        cells[area + 1] = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(cells[area + 1]) + value);
        cells[area + 2] += 1;
    }

    [Test]
    public void Observations_beside_a_preempted_owner_are_counted_and_a_scrape_waits_for_the_owner()
    {
        var state = new NativeHistogramState(new NativeHistogramOptions(), TimeProvider.System);
        state.Observe(1);
        var stripes = PreemptedOwnerOnEveryStripe(state);

        // Every stripe is owned, as if its owner had been preempted mid-observation: these go to the overflow area.
        for (var i = 0; i < 100; i++)
        {
            state.Observe(2);
        }

        var scrape = Task.Run(() => NativeHistogramStateTests.Capture(state));
        scrape.Wait(TimeSpan.FromMilliseconds(300)).ShouldBeFalse("the scrape waits for the owner to give the stripe back");
        stripes.Release();
        scrape.Wait(TimeSpan.FromSeconds(30)).ShouldBeTrue();

        var snapshot = scrape.Result;
        snapshot.Count.ShouldBe(101);
        snapshot.Sum.ShouldBe(201);
        snapshot.PositiveBuckets.ToArray().Where(b => b.Count > 0).ShouldBe([new NativeBucket(0, 1), new NativeBucket(8, 100)]);
        state.Observe(2);
        NativeHistogramStateTests.Capture(state).Count.ShouldBe(102);
    }

    // Sets the owned bit of every stripe's control word of the current generation, as an owner preempted between
    // taking the stripe and giving it back would leave it; Release gives the stripes back.
    private static OwnedStripes PreemptedOwnerOnEveryStripe(NativeHistogramState state)
    {
        const long ownedBit = 1L << 61;
        var layout = (NativeHistogramLayout)typeof(NativeHistogramState).GetField("_layout", Private)!.GetValue(state)!;
        var cells = (long[])typeof(NativeHistogramLayout).GetField("_cells", Private)!.GetValue(layout)!;
        var stride = (int)typeof(NativeHistogramLayout).GetField("_stripeStride", Private)!.GetValue(layout)!;
        var stripes = Math.Min(16, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Environment.ProcessorCount));
        var controls = Enumerable.Range(0, stripes).Select(stripe => 8 + (stripe * stride)).ToArray();
        foreach (var control in controls)
        {
            (cells[control] & ownedBit).ShouldBe(0);
            Interlocked.Or(ref cells[control], ownedBit);
        }

        return new OwnedStripes(cells, controls, ownedBit);
    }

    private const System.Reflection.BindingFlags Private = System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance;

    private sealed record OwnedStripes(long[] Cells, int[] Controls, long OwnedBit)
    {
        public void Release()
        {
            foreach (var control in Controls)
            {
                Interlocked.And(ref Cells[control], ~OwnedBit);
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="writer"/> on four threads while one more thread captures snapshots, checks each with
    /// <paramref name="check"/> and that the count never falls; returns how many snapshots it took.
    /// </summary>
    private static int WhileScraping(NativeHistogramState state, Action<NativeHistogramSnapshot> check, Action<int> writer)
    {
        var snapshots = 0;
        var writersDone = 0;
        Exception? scraperFailure = null;
        var scraper = new Thread(() =>
        {
            try
            {
                var snapshot = new NativeHistogramSnapshot();
                long previousCount = 0;
                while (Volatile.Read(ref writersDone) == 0)
                {
                    state.CaptureInto(snapshot);
                    check(snapshot);
                    snapshot.Count.ShouldBeGreaterThanOrEqualTo(previousCount);
                    previousCount = snapshot.Count;
                    snapshots++;
                }
            }
            catch (Exception ex)
            {
                scraperFailure = ex;
            }
        });
        scraper.Start();
        Concurrently.Run(4, writer);
        Volatile.Write(ref writersDone, 1);
        scraper.Join();
        scraperFailure.ShouldBeNull();
        return snapshots;
    }

    private static (long Counted, double Sum) CountAndSum(NativeHistogramSnapshot snapshot, Dictionary<(bool, int), double> valueOfBucket)
    {
        long counted = 0;
        var sum = 0.0;
        foreach (var bucket in snapshot.PositiveBuckets)
        {
            counted += bucket.Count;
            sum += bucket.Count == 0 ? 0 : bucket.Count * valueOfBucket[(false, bucket.Index)];
        }

        foreach (var bucket in snapshot.NegativeBuckets)
        {
            counted += bucket.Count;
            sum += bucket.Count == 0 ? 0 : bucket.Count * valueOfBucket[(true, bucket.Index)];
        }

        return (counted, sum);
    }

    // Every observation lies within its bucket's bounds, so the sum of a consistent snapshot lies between the sums
    // of those bounds; an observation counted in the sum but not in a bucket (or the reverse) breaks that by at
    // least the distance from its value to the nearest bound of an empty range.
    private static void AssertConsistentWithBounds(NativeHistogramSnapshot snapshot)
    {
        long counted = snapshot.ZeroCount;
        double least = -snapshot.ZeroCount * snapshot.ZeroThreshold, most = snapshot.ZeroCount * snapshot.ZeroThreshold;
        foreach (var bucket in snapshot.PositiveBuckets)
        {
            counted += bucket.Count;
            least += bucket.Count * Math.Max(NativeHistogramSchema.LowerBound(bucket.Index, snapshot.Schema), snapshot.ZeroThreshold);
            most += bucket.Count * NativeHistogramSchema.UpperBound(bucket.Index, snapshot.Schema);
        }

        foreach (var bucket in snapshot.NegativeBuckets)
        {
            counted += bucket.Count;
            least -= bucket.Count * NativeHistogramSchema.UpperBound(bucket.Index, snapshot.Schema);
            most -= bucket.Count * Math.Max(NativeHistogramSchema.LowerBound(bucket.Index, snapshot.Schema), snapshot.ZeroThreshold);
        }

        snapshot.Count.ShouldBe(counted, "count = zero count + Σ buckets");
        var slack = 1e-9 * (Math.Abs(least) + Math.Abs(most) + 1);
        snapshot.Sum.ShouldBeInRange(least - slack, most + slack);
    }
}
