using System.Buffers;

namespace Metrics.Tests.Exposition;

public sealed class NonArrayOutputTests
{
    [TestCase(ExpositionFormat.PrometheusText)]
    [TestCase(ExpositionFormat.OpenMetrics)]
    public void Output_whose_memory_is_not_an_array_receives_the_same_bytes(ExpositionFormat format)
    {
        var registry = new MetricRegistry();
        var family = registry.CreateHistogramFamily("wait_seconds", "Wait.", ["route"], HistogramBuckets.Exponential(0.001, 2, 20));
        for (var route = 0; route < 300; route++)
        {
            family.WithLabels("/route/" + route).Observe(route / 1000.0);
        }

        var arrayOutput = new ArrayBufferWriter<byte>();
        MetricsExposition.Write(registry, format, arrayOutput);
        var managerOutput = new ManagedMemoryWriter();
        MetricsExposition.Write(registry, format, managerOutput);

        arrayOutput.WrittenCount.ShouldBeGreaterThan(3 * 16 * 1024);
        managerOutput.Written.ToArray().ShouldBe(arrayOutput.WrittenSpan.ToArray());
    }

    /// <summary>An output that hands out memory of a <see cref="MemoryManager{T}"/>, which does not expose an array.</summary>
    private sealed class ManagedMemoryWriter : IBufferWriter<byte>
    {
        private readonly List<byte> _written = [];
        private Memory<byte> _memory;

        public IReadOnlyList<byte> Written => _written;

        public void Advance(int count) => _written.AddRange(_memory.Span[..count].ToArray());

        public Memory<byte> GetMemory(int sizeHint = 0) => _memory = new Chunk(Math.Max(sizeHint, 1000)).Memory;

        public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

        private sealed class Chunk(int length) : MemoryManager<byte>
        {
            private readonly byte[] _bytes = new byte[length];

            public override Span<byte> GetSpan() => _bytes;

            public override MemoryHandle Pin(int elementIndex = 0) => throw new NotSupportedException();

            public override void Unpin()
            {
            }

            protected override void Dispose(bool disposing)
            {
            }
        }
    }
}
