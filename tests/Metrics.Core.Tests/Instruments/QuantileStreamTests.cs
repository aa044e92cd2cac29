namespace Metrics.Tests.Instruments;

public sealed class QuantileStreamTests
{
    private static readonly double[] Quantiles = [0.5, 0.9, 0.99];
    private static readonly double[] Errors = [0.05, 0.01, 0.001];

    [TestCase("ascending")]
    [TestCase("descending")]
    [TestCase("random")]
    public void QuantileStream_keeps_fewer_than_a_hundred_tuples_for_a_million_values_in_any_order(string order)
    {
        var stream = new QuantileStream(Quantiles, Errors);
        var random = new Random(3);
        var batch = new double[512];
        var largest = 0;
        for (var start = 0; start < 1_000_000; start += batch.Length)
        {
            for (var i = 0; i < batch.Length; i++)
            {
                batch[i] = order switch
                {
                    "ascending" => start + i,
                    "descending" => -(start + i),
                    _ => random.NextDouble(),
                };
            }

            Array.Sort(batch);
            stream.InsertSorted(batch);
            largest = Math.Max(largest, stream.TupleCount);
        }

        stream.Count.ShouldBe(1_000_448);
        largest.ShouldBeLessThan(100);
    }

    [Test]
    public void QuantileStream_is_empty_and_reports_NaN_after_reset()
    {
        var stream = new QuantileStream(Quantiles, Errors);
        stream.InsertSorted([1, 2, 3]);
        stream.Reset();

        stream.Count.ShouldBe(0);
        stream.Query(0.5).ShouldBe(double.NaN);
    }
}
