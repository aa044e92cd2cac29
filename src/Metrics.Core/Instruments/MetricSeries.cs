using System.Runtime.CompilerServices;
using Metrics.Exposition;

namespace Metrics;

/// <summary>
/// One time series: a family's metric with one fixed set of label values. Call sites resolve a series once
/// and keep it, so that each measurement costs an atomic instruction and allocates nothing.
/// </summary>
/// <remarks>
/// In a family with <see cref="FamilyOptions.ExpireAfter"/>, a series that no measurement updates for that long is
/// removed at a scrape. A handle kept by a call site goes on working: its next measurement puts the same series,
/// with its total so far, back into the family, and a lookup of its label values returns that same handle for as
/// long as anything holds it. A series removed with <see cref="MetricFamily.Remove(ReadOnlySpan{string})"/> or
/// <see cref="MetricFamily.Clear"/> is detached for good instead: its handle still accepts measurements, which no
/// scrape or snapshot ever shows, and a lookup of its label values creates a new series that starts from zero.
/// </remarks>
public abstract class MetricSeries
{
    /// <summary>Bucket counts and quantiles up to this many are read into stack memory; larger layouts rent from the pool.</summary>
    private protected const int StackReadLimit = 128;

    private readonly string[] _labelValues;
    private byte[]? _encodedLabels;
    private byte[]? _protobufLabels;
    private ExemplarStore? _exemplars;
    private int _activity;
    private long _lastActiveTimestamp;

    private protected MetricSeries(MetricFamily family, string[] labelValues)
    {
        Family = family;
        _labelValues = labelValues;
        CreatedSeconds = UnixTime.Seconds(family.Registry.TimeProvider);
        _activity = family.ExpireAfter is null ? SeriesActivity.Permanent : SeriesActivity.Active;
    }

    /// <summary>The family this series belongs to.</summary>
    public MetricFamily Family { get; }

    /// <summary>The label values, in the order of the family's <see cref="MetricFamily.LabelNames"/>.</summary>
    public IReadOnlyList<string> LabelValues => _labelValues;

    internal string[] LabelValueArray => _labelValues;

    /// <summary>The exemplars recorded so far; null until the first, or until exemplars are enabled.</summary>
    internal ExemplarStore? Exemplars => Volatile.Read(ref _exemplars);

    /// <summary>When the series was created, in Unix seconds: the value of its OpenMetrics <c>_created</c> sample.</summary>
    internal double CreatedSeconds { get; }

    /// <summary>The label values followed by the registry's constant ones, in the order of <see cref="MetricFamily.ExposedLabelNames"/>.</summary>
    internal string[] ExposedLabelValues => Family.Registry.ConstantLabels.AppendValues(_labelValues);

    // Encoded once, on first scrape, so later scrapes copy bytes instead of escaping and transcoding strings.
    // A race only builds the same bytes twice.
    internal byte[] EncodedLabels => _encodedLabels ?? EncodeLabels();

    // Out of line so that the encoding, run once per series, does not take the inlining budget of the readers'
    // per-series methods that ask for the labels.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private byte[] EncodeLabels() =>
        _encodedLabels = LabelEncoding.EncodeLabelPairs(Family.ExposedLabelNames, ExposedLabelValues);

    /// <summary>The label pairs as the <c>label</c> fields of a protobuf <c>Metric</c>, encoded once, as <see cref="EncodedLabels"/> are.</summary>
    internal byte[] ProtobufLabels => _protobufLabels ??= Exposition.Protobuf.ProtobufMetadata.EncodeLabels(Family.ExposedLabelNames, ExposedLabelValues);

    /// <summary>The exemplar slots, created on first use: a family without exemplars pays nothing for them.</summary>
    private protected ExemplarStore ExemplarSlots(int slotCount)
    {
        var existing = Volatile.Read(ref _exemplars);
        if (existing is not null)
        {
            return existing;
        }

        var created = new ExemplarStore(slotCount, Family.Registry.TimeProvider);
        return Interlocked.CompareExchange(ref _exemplars, created, null) ?? created;
    }

    internal bool IsExpired => Volatile.Read(ref _activity) == SeriesActivity.Expired;

    /// <summary>Whether the series was removed from its family for good; see <see cref="MarkRemoved"/>.</summary>
    internal bool IsRemoved => Volatile.Read(ref _activity) == SeriesActivity.Removed;

    /// <summary>
    /// Hands the series' current values to <paramref name="reader"/> through the one method of
    /// <see cref="ISeriesReader"/> that fits its kind, or through none when it has nothing to report.
    /// </summary>
    // Scrape path: reads without taking any lock that measurements take, and allocates nothing.
    internal abstract void Read<TReader>(ref TReader reader)
        where TReader : struct, ISeriesReader;

    /// <summary>
    /// Notes a measurement for idle expiry; call right after the measurement's write. An interlocked write orders
    /// itself before this read, so a scrape that removes the series either saw the write or this call sees the
    /// removal and puts the series back. A plain store (<see cref="Gauge.Set"/>) may pass this read only inside the
    /// processor's store buffer, which drains within nanoseconds and at every context switch, while a scrape reads
    /// values microseconds after it marks series idle and removes them a scrape interval later; a fence would cost
    /// each <c>Set</c> as much as an interlocked instruction.
    /// </summary>
    // Hot path: one load and a branch that is taken once per scrape interval, and only in families that expire
    // series; must never allocate, lock or block.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private protected void MarkUpdated()
    {
        if (_activity > SeriesActivity.Active)
        {
            MarkUpdatedAfterIdle();
        }
    }

    /// <summary>
    /// Advances the idle clock at a scrape, under the family's write lock: an active series becomes idle as of
    /// <paramref name="now"/>; an idle one that has been idle for <paramref name="expireAfter"/> becomes expired,
    /// and the method returns true so that the family removes it.
    /// </summary>
    internal bool ExpireIfIdle(long now, TimeSpan expireAfter, TimeProvider clock)
    {
        if (Interlocked.CompareExchange(ref _activity, SeriesActivity.Idle, SeriesActivity.Active) == SeriesActivity.Active)
        {
            _lastActiveTimestamp = now;
            return false;
        }

        return clock.GetElapsedTime(_lastActiveTimestamp, now) >= expireAfter
            && Interlocked.CompareExchange(ref _activity, SeriesActivity.Expired, SeriesActivity.Idle) == SeriesActivity.Idle;
    }

    /// <summary>Marks an expired series active again once its family holds it again; under the family's write lock.</summary>
    internal void MarkRestored() => Volatile.Write(ref _activity, SeriesActivity.Active);

    /// <summary>
    /// Detaches the series from its family for good, under the family's write lock: a handle kept by a call site
    /// still accepts measurements, but no exposition reads them and no measurement or lookup puts the series back.
    /// </summary>
    internal void MarkRemoved() => Volatile.Write(ref _activity, SeriesActivity.Removed);

    // The rare path: the first measurement after a scrape, or after the series was removed.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void MarkUpdatedAfterIdle()
    {
        // A removed series stays out, and its writers skip the compare-exchange below.
        if (Volatile.Read(ref _activity) == SeriesActivity.Removed)
        {
            return;
        }

        if (Interlocked.CompareExchange(ref _activity, SeriesActivity.Active, SeriesActivity.Idle) == SeriesActivity.Expired)
        {
            Family.Restore(this);
        }
    }
}
