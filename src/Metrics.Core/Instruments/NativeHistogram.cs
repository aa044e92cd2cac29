using System.Buffers;
using System.Diagnostics;

namespace Metrics;

/// <summary>
/// Counts observations into sparse exponential buckets, a Prometheus native histogram: no bucket layout to choose,
/// a resolution set by a bucket factor, and a bucket count kept bounded (see <see cref="NativeHistogramOptions"/>).
/// It can also keep classic buckets (<see cref="NativeHistogramOptions.ClassicBuckets"/>), to be exposed both ways.
/// </summary>
/// <remarks>
/// <para>
/// Native buckets travel only in the protobuf exposition format, which Prometheus asks for first when its
/// <c>native-histograms</c> feature is on. The text and OpenMetrics formats show the classic buckets when there are
/// any; otherwise only <c>_bucket{le="+Inf"}</c>, <c>_sum</c> and <c>_count</c>, as client_golang's text encoder
/// does for a native-only histogram (OpenMetrics requires the <c>+Inf</c> bucket of every histogram). Both formats
/// keep the classic histogram's rules for <c>_sum</c>, <c>_count</c> and <c>_created</c>.
/// </para>
/// <para>
/// Every read is self-consistent: the native count equals the zero bucket's count plus every bucket's, and the sum
/// is the sum of exactly those observations, however many writers run; the classic buckets are self-consistent in
/// the same way on their own. The two views are read one after the other, the classic first, so while writers run
/// the native count may exceed the classic <c>+Inf</c> bucket by the observations made in between, never the reverse:
/// the protobuf format, which carries one count for both views, never shows a classic bucket above it. A NaN observation is ignored; negative ones count in negative buckets.
/// </para>
/// <para>
/// Memory per series, at most: the native engine's <c>8 × (8 + S × (round8(4M + 10) + 8)) + 12 × pow2(2M) + 4M</c>
/// bytes (<c>M</c> is <see cref="NativeHistogramOptions.MaxBucketCount"/>, <c>S</c> the stripe count
/// <c>min(16, pow2(processors))</c>, <c>round8</c> and <c>pow2</c> round up to a multiple of 8 and to a power of two),
/// plus <c>200 × M</c> bytes for the buffers a scrape reuses, plus 64 bytes per kept exemplar in each of the engine
/// and the scrape buffer, plus, with classic buckets, the classic histogram's
/// <c>8 × (S × (round8(B + 2) + 8) + 8)</c> bytes for <c>B</c> bounds. The engine starts with room for 8 buckets and
/// doubles up to <c>M</c>, so a series pays for the buckets it has seen; for <c>M</c> = 160 on 2 processors the
/// bound is 17,472 + 32,000 bytes plus exemplars.
/// </para>
/// </remarks>
public sealed class NativeHistogram : MetricSeries
{
    private readonly NativeHistogramState _state;

    // The classic buckets of a histogram exposed both ways: the classic histogram's own striped engine, which no
    // family lists, so that it counts and reads exactly as a classic series does.
    private readonly Histogram? _classic;

    // The snapshot a read captures into, kept for the next read so that a warm scrape allocates nothing. Reads that
    // overlap (a scrape during a snapshot) take it in turn; the one that finds it taken builds its own.
    private NativeHistogramSnapshot? _spareSnapshot = new();

    internal NativeHistogram(MetricFamily family, string[] labelValues, NativeHistogramOptions options)
        : base(family, labelValues)
    {
        _state = new NativeHistogramState(options, family.Registry.TimeProvider);
        _classic = family.Shape.Bounds is { Length: > 0 } bounds ? new Histogram(family, labelValues, bounds) : null;
    }

    /// <summary>
    /// The finite upper bounds of the classic buckets this histogram is also exposed with, in increasing order;
    /// empty for a native-only histogram.
    /// </summary>
    public IReadOnlyList<double> ClassicUpperBounds => _classic?.UpperBounds ?? [];

    internal static SeriesKind Kind { get; } = new("a native histogram", MetricType.Histogram, "le", "the bucket bounds of histograms");

    /// <summary>The exemplars of the classic buckets, one per bucket; null for a native-only histogram or until the first.</summary>
    internal ExemplarStore? ClassicExemplars => _classic?.Exemplars;

    /// <summary>When the native counts started, in Unix seconds: the series' creation, or the latest reset by the bucket limit.</summary>
    internal double NativeCreatedSeconds => _state.CreatedSeconds;

    /// <summary>Records one observation.</summary>
    // Hot path: lock-free and allocation-free once the value's native bucket exists; must never lock or block.
    public void Observe(double value)
    {
        if (double.IsNaN(value))
        {
            return;
        }

        _state.Observe(value);
        _classic?.Observe(value);
        MarkUpdated();
    }

    /// <summary>
    /// Records one observation and <paramref name="exemplar"/> with it: among the native histogram's latest
    /// exemplars (see <see cref="NativeHistogramOptions.MaxExemplars"/>) and, with classic buckets, as the exemplar
    /// of the classic bucket it falls in. An empty exemplar makes this <see cref="Observe(double)"/>.
    /// </summary>
    // Hot path: allocates nothing; the exemplar's labels were validated when it was built.
    public void Observe(double value, in Exemplar exemplar)
    {
        if (double.IsNaN(value))
        {
            return;
        }

        _state.Observe(value, exemplar);
        _classic?.Observe(value, exemplar);
        MarkUpdated();
    }

    /// <summary>Observes the seconds elapsed since <paramref name="startTimestamp"/>, a <see cref="Stopwatch.GetTimestamp"/> value.</summary>
    public void ObserveElapsed(long startTimestamp) =>
        Observe((Stopwatch.GetTimestamp() - startTimestamp) / (double)Stopwatch.Frequency);

    internal override void Read<TReader>(ref TReader reader)
    {
        var native = Interlocked.Exchange(ref _spareSnapshot, null) ?? new NativeHistogramSnapshot();
        if (_classic is null)
        {
            _state.CaptureInto(native);
            Span<long> count = stackalloc long[1];
            count[0] = native.Count;
            reader.NativeHistogram(this, native, count, native.Sum);
        }
        else
        {
            ReadWithClassic(ref reader, native, _classic);
        }

        Volatile.Write(ref _spareSnapshot, native);
    }

    // The classic view is read before the native one: an observation reaches the native engine before the classic
    // one, so every observation the classic read saw is in the native read too, and no classic bucket exceeds the
    // native count that the protobuf format gives both views as their count.
    private void ReadWithClassic<TReader>(ref TReader reader, NativeHistogramSnapshot native, Histogram classic)
        where TReader : struct, ISeriesReader
    {
        var bucketCount = classic.BucketCount;
        long[]? rented = null;
        var counts = bucketCount <= StackReadLimit
            ? stackalloc long[bucketCount]
            : (rented = ArrayPool<long>.Shared.Rent(bucketCount)).AsSpan(0, bucketCount);
        var sum = classic.AddStripes(counts);
        _state.CaptureInto(native);
        reader.NativeHistogram(this, native, counts, sum);
        if (rented is not null)
        {
            ArrayPool<long>.Shared.Return(rented);
        }
    }
}
