namespace Metrics;

/// <summary>
/// Observes the elapsed seconds into a histogram when disposed; returned by <see cref="Histogram.StartTimer"/>.
/// A struct, so <c>using</c> it allocates nothing. Dispose it exactly once.
/// </summary>
public readonly struct HistogramTimer : IDisposable
{
    private readonly Histogram? _histogram;
    private readonly long _startTimestamp;

    internal HistogramTimer(Histogram histogram, long startTimestamp)
    {
        _histogram = histogram;
        _startTimestamp = startTimestamp;
    }

    /// <summary>Observes the seconds since the timer started.</summary>
    public void Dispose() => _histogram?.ObserveElapsed(_startTimestamp);
}
