namespace Metrics;

/// <summary>The points <see cref="First"/> to <see cref="Last"/> of the ring, and where to find each of them and its predecessor.</summary>
internal readonly struct HistoryRange(long first, long last, long oldest, long[] timestampTicks)
{
    public long First { get; } = first;

    public long Last { get; } = last;

    public int Count => (int)(Last - First + 1);

    public int Slot(long sequence) => (int)(sequence % timestampTicks.Length);

    /// <summary>Whether the point before <paramref name="sequence"/> is still in the ring, so an increase ending there is known.</summary>
    public bool HasPrevious(long sequence) => sequence - 1 >= oldest;

    public long TicksAt(long sequence) => timestampTicks[Slot(sequence)];

    /// <summary>Seconds between the point before <paramref name="sequence"/> and it, or NaN when that point is gone.</summary>
    public double SecondsSincePrevious(long sequence) =>
        HasPrevious(sequence) ? (TicksAt(sequence) - TicksAt(sequence - 1)) / (double)TimeSpan.TicksPerSecond : double.NaN;
}
