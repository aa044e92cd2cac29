using BenchmarkDotNet.Attributes;

namespace Metrics.Benchmarks;

/// <summary>
/// The design question behind <see cref="Counter"/>: does a per-processor striped cell beat one shared cell when
/// threads contend? Both cells here are minimal; the striped one pads each processor's slot to its own cache lines,
/// as <see cref="Histogram"/> does. Reported time is per increment across all threads.
/// </summary>
[MemoryDiagnoser]
public class CounterCellBenchmarks
{
    private const int Operations = 1 << 20;
    private const int LongsPerSlot = 16;

    private static readonly int Stripes = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Environment.ProcessorCount);

    private readonly long[] _single = new long[3 * LongsPerSlot];
    private readonly long[] _striped = new long[(Stripes + 2) * LongsPerSlot];

    [Params(1, 2)]
    public int Threads { get; set; }

    [Benchmark(Baseline = true, OperationsPerInvoke = Operations)]
    public void SingleCell() => Run(static (benchmark, count) =>
    {
        var cells = benchmark._single;
        for (var i = 0; i < count; i++)
        {
            Interlocked.Increment(ref cells[LongsPerSlot]);
        }
    });

    [Benchmark(OperationsPerInvoke = Operations)]
    public void StripedCell() => Run(static (benchmark, count) =>
    {
        var cells = benchmark._striped;
        for (var i = 0; i < count; i++)
        {
            Interlocked.Increment(ref cells[LongsPerSlot * (1 + (Thread.GetCurrentProcessorId() & (Stripes - 1)))]);
        }
    });

    private void Run(Action<CounterCellBenchmarks, int> slice) =>
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, _ => slice(this, Operations / Threads));
}
