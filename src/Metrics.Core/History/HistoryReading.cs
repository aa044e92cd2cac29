namespace Metrics;

/// <summary>
/// Consecutive points of a <see cref="MetricHistory"/> for some families: the points' times, and per family the
/// series computed at each of them.
/// </summary>
public sealed class HistoryReading
{
    internal HistoryReading(long firstSequence, TimeSpan interval, DateTimeOffset[] timestamps, FamilyHistory[] families)
    {
        FirstSequence = firstSequence;
        Interval = interval;
        Timestamps = timestamps;
        Families = families;
    }

    /// <summary>
    /// The sequence number of the first point: the sampler numbers its points 0, 1, 2, … for its whole life, so a
    /// client that saw up to point <c>n</c> asks <see cref="MetricHistory.ReadSince"/> for what follows <c>n</c>.
    /// </summary>
    public long FirstSequence { get; }

    /// <summary>The sequence number of the last point; <see cref="FirstSequence"/> − 1 when the reading holds no point.</summary>
    public long LastSequence => FirstSequence + Timestamps.Count - 1;

    /// <summary>The sampler's interval.</summary>
    public TimeSpan Interval { get; }

    /// <summary>When each point was sampled, oldest first; every series list of <see cref="Families"/> has this length.</summary>
    public IReadOnlyList<DateTimeOffset> Timestamps { get; }

    /// <summary>One result per selector, in the order of the selectors.</summary>
    public IReadOnlyList<FamilyHistory> Families { get; }
}
