using BenchmarkDotNet.Attributes;

namespace Metrics.Benchmarks;

/// <summary>Row 1: the hardware floor. Nothing thread-safe can count faster than one atomic instruction.</summary>
[MemoryDiagnoser]
public class FloorBenchmarks
{
    private long _integer;
    private long _doubleBits;

    [Benchmark(Baseline = true)]
    public long InterlockedIncrement() => Interlocked.Increment(ref _integer);

    [Benchmark]
    public void CompareExchangeDoubleAdd()
    {
        var current = Volatile.Read(ref _doubleBits);
        while (true)
        {
            var updated = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(current) + 1.5);
            var observed = Interlocked.CompareExchange(ref _doubleBits, updated, current);
            if (observed == current)
            {
                return;
            }

            current = observed;
        }
    }
}
