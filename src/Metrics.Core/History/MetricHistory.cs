using System.Runtime.InteropServices;

namespace Metrics;

/// <summary>
/// Samples a registry at a fixed interval and keeps the last <see cref="Capacity"/> points in a ring, so that an
/// application can show rates, gauge values and windowed histogram quantiles over the recent past without a
/// Prometheus server: a dashboard's charts and sparklines.
/// </summary>
/// <remarks>
/// <para>
/// Each point stores the raw cumulative values of every series (counter totals, gauge values, histogram bucket counts
/// and sums) in flat per-series arrays; rates, quantiles and averages are computed when read, from the increases
/// between consecutive points, with the semantics of PromQL's <c>rate</c> and <c>histogram_quantile</c>.
/// </para>
/// <para>
/// A native histogram without classic buckets stores its native state at each point instead of bucket counts:
/// schema, zero threshold, zero count, created time and its populated buckets of both signs, so that its quantiles
/// come from the native bucket increases as PromQL's <c>histogram_quantile</c> computes them (see
/// <see cref="SeriesHistory.Quantiles"/>). A native histogram with classic buckets is stored and estimated by those,
/// as a snapshot estimates it.
/// </para>
/// <para>
/// Memory is bounded: with N = <see cref="Capacity"/>, each counter or gauge series takes 8·N bytes, each summary
/// 16·N, each histogram with B buckets (counting <c>+Inf</c>) (16 + 8·B)·N, and each native-only histogram whose
/// bucket limit is M (<see cref="NativeHistogramOptions.MaxBucketCount"/>) at most (52 + 12·M)·N: 52 bytes of count,
/// sum and native state and 12 per bucket of room, the room being the most buckets any point has held (rounded up by
/// doubling, never past M), so a native series pays for the buckets it uses. Add about 250 bytes of bookkeeping per
/// series and 8·N for the timestamps. A series absent for N points is forgotten, and the registry's cardinality
/// limits bound how many series there are. Once every series is tracked and its room suffices, a sample allocates nothing.
/// </para>
/// <para>
/// Sampling only reads: it never takes a lock that measurements take, so writers never wait for it. Reads and samples
/// exclude each other with a lock of the history's own.
/// </para>
/// </remarks>
public sealed class MetricHistory : IDisposable
{
    private readonly object _gate = new();
    private readonly MetricRegistry _registry;
    private readonly TimeProvider _clock;
    private readonly long[] _timestampTicks;
    private readonly double[] _quantiles;
    private readonly Dictionary<MetricSeries, SeriesTrack> _tracks = new(ReferenceEqualityComparer.Instance);
    private readonly List<SeriesTrack> _trackList = [];
    private readonly Dictionary<MetricFamily, FamilyTrack> _families = new(ReferenceEqualityComparer.Instance);
    private long _pointCount;
    private ITimer? _timer;

    /// <summary>Creates a history of <paramref name="registry"/>; call <see cref="Start"/> to sample on a timer, or <see cref="Sample"/> at will.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The interval is below <see cref="MetricHistoryOptions.MinimumInterval"/>, or the capacity below 2.</exception>
    /// <exception cref="ArgumentException">The quantiles are empty, outside 0 to 1, or not strictly increasing.</exception>
    public MetricHistory(MetricRegistry registry, MetricHistoryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        options ??= new MetricHistoryOptions();
        if (options.Interval < MetricHistoryOptions.MinimumInterval)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options), options.Interval, $"MetricHistoryOptions.Interval must be at least {MetricHistoryOptions.MinimumInterval}.");
        }

        if (options.Capacity < 2)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options), options.Capacity, "MetricHistoryOptions.Capacity must be at least 2: a rate needs two points.");
        }

        _quantiles = [.. options.Quantiles ?? MetricHistoryOptions.DefaultQuantiles];
        if (!MetricHistoryOptions.AreQuantiles(_quantiles))
        {
            throw new ArgumentException(
                $"MetricHistoryOptions.Quantiles [{string.Join(", ", _quantiles)}] is invalid: give at least one quantile, each between 0 and 1 and each greater than the one before, such as 0.5, 0.95, 0.99.",
                nameof(options));
        }

        _registry = registry;
        _clock = options.TimeProvider ?? registry.TimeProvider;
        Interval = options.Interval;
        Capacity = options.Capacity;
        _timestampTicks = new long[Capacity];
    }

    /// <summary>The time between two points.</summary>
    public TimeSpan Interval { get; }

    /// <summary>How many points the ring keeps.</summary>
    public int Capacity { get; }

    /// <summary>The quantiles estimated for histograms, in the order of each <see cref="SeriesHistory.Quantiles"/>.</summary>
    public IReadOnlyList<double> Quantiles => _quantiles;

    /// <summary>
    /// The clock the history samples on: <see cref="MetricHistoryOptions.TimeProvider"/>, or the registry's when that
    /// is null. Whatever paces readers of the history should follow it too.
    /// </summary>
    public TimeProvider TimeProvider => _clock;

    /// <summary>The sequence number of the newest point, or -1 before the first sample.</summary>
    public long LastSequence => Volatile.Read(ref _pointCount) - 1;

    /// <summary>How many series the ring holds values of now.</summary>
    public int SeriesCount
    {
        get
        {
            lock (_gate)
            {
                return _trackList.Count;
            }
        }
    }

    /// <summary>
    /// Takes one point now, then one every <see cref="Interval"/> on the history's clock until disposed. Calling it
    /// again does nothing.
    /// </summary>
    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_timer is DisposedTimer, this);
            if (_timer is not null)
            {
                return;
            }

            _timer = _clock.CreateTimer(static state => ((MetricHistory)state!).Sample(), this, Interval, Interval);
        }

        Sample();
    }

    /// <summary>
    /// Collects the registry (running its callbacks, as a scrape does) and stores one point. Points are numbered in the
    /// order they are taken, whatever their timestamps say.
    /// </summary>
    public void Sample()
    {
        var families = _registry.PrepareCollection();
        lock (_gate)
        {
            var sequence = _pointCount;
            var slot = (int)(sequence % Capacity);
            _timestampTicks[slot] = _clock.GetUtcNow().UtcTicks;
            foreach (var family in families)
            {
                Record(family, sequence, slot);
            }

            ForgetAbsent(sequence, slot);
            Volatile.Write(ref _pointCount, sequence + 1);
        }
    }

    /// <summary>
    /// Reads the last points covering <paramref name="window"/> (ceil(window / interval) of them, or all the ring
    /// holds) for each selector.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="window"/> is not positive.</exception>
    /// <exception cref="ArgumentException">A selector names a family the registry does not have, or a label the family does not have.</exception>
    public HistoryReading Read(IReadOnlyList<HistorySelector> selectors, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(selectors);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        var points = (long)Math.Min(Capacity, Math.Ceiling(window.Ticks / (double)Interval.Ticks));
        lock (_gate)
        {
            return ReadLocked(selectors, _pointCount - points);
        }
    }

    /// <summary>
    /// Reads, for each selector, the points after <paramref name="afterSequence"/> that the ring still holds: what a
    /// client that has seen up to that point is missing. Pass -1 for every point held.
    /// </summary>
    /// <exception cref="ArgumentException">A selector names a family the registry does not have, or a label the family does not have.</exception>
    public HistoryReading ReadSince(IReadOnlyList<HistorySelector> selectors, long afterSequence)
    {
        ArgumentNullException.ThrowIfNull(selectors);
        lock (_gate)
        {
            return ReadLocked(selectors, afterSequence + 1);
        }
    }

    /// <summary>Stops the timer of <see cref="Start"/>; the points taken stay readable.</summary>
    public void Dispose()
    {
        ITimer? timer;
        lock (_gate)
        {
            timer = _timer;
            _timer = DisposedTimer.Instance;
        }

        timer?.Dispose();
    }

    private HistoryReading ReadLocked(IReadOnlyList<HistorySelector> selectors, long first)
    {
        var oldest = Math.Max(0, _pointCount - Capacity);
        var range = new HistoryRange(Math.Max(first, oldest), _pointCount - 1, oldest, _timestampTicks);
        var count = Math.Max(0, range.Count);
        var timestamps = new DateTimeOffset[count];
        for (var i = 0; i < count; i++)
        {
            timestamps[i] = new DateTimeOffset(range.TicksAt(range.First + i), TimeSpan.Zero);
        }

        var families = new FamilyHistory[selectors.Count];
        for (var i = 0; i < families.Length; i++)
        {
            var family = FindFamily(selectors[i].Family, nameof(selectors));
            families[i] = FamilyHistoryBuilder.Build(family, _families.GetValueOrDefault(family), selectors[i].By, range, _quantiles);
        }

        return new HistoryReading(range.First, Interval, timestamps, families);
    }

    private MetricFamily FindFamily(string name, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(name, parameterName);
        foreach (var family in _registry.Families)
        {
            if (string.Equals(family.Name, name, StringComparison.Ordinal))
            {
                return family;
            }
        }

        throw new ArgumentException($"Unknown metric family '{name}': the registry has no family of that name (counter names end in _total).", parameterName);
    }

    // Reads without locks the writers take: atomic loads, and the histogram's stripe sums.
    private void Record(MetricFamily family, long sequence, int slot)
    {
        ref var familyTrack = ref CollectionsMarshal.GetValueRefOrAddDefault(_families, family, out _);
        familyTrack ??= new FamilyTrack(family);
        var reader = new HistorySampleReader(_tracks, _trackList, familyTrack, Capacity, sequence, slot);
        family.Read(ref reader);
    }

    /// <summary>Marks the series not seen at this point absent there, and forgets those absent from every point held.</summary>
    private void ForgetAbsent(long sequence, int slot)
    {
        HashSet<SeriesTrack>? forgotten = null;
        foreach (var track in _trackList)
        {
            if (track.LastSequence == sequence)
            {
                continue;
            }

            track.Values[slot] = double.NaN;
            if (sequence - Math.Max(track.LastSequence, track.FirstSequence) >= Capacity)
            {
                (forgotten ??= []).Add(track);
            }
        }

        if (forgotten is null)
        {
            return;
        }

        foreach (var track in forgotten)
        {
            _tracks.Remove(track.Series);
        }

        _trackList.RemoveAll(forgotten.Contains);
        foreach (var familyTrack in _families.Values)
        {
            familyTrack.Series.RemoveAll(forgotten.Contains);
        }
    }

    /// <summary>Stands in for the timer after <see cref="Dispose"/>, so a later <see cref="Start"/> throws.</summary>
    private sealed class DisposedTimer : ITimer
    {
        public static readonly DisposedTimer Instance = new();

        public bool Change(TimeSpan dueTime, TimeSpan period) => false;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
