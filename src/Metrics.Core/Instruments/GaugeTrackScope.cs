namespace Metrics;

/// <summary>
/// Decrements a gauge when disposed; returned by <see cref="Gauge.Track"/>.
/// A struct, so <c>using</c> it allocates nothing. Dispose it exactly once.
/// </summary>
public readonly struct GaugeTrackScope : IDisposable
{
    private readonly Gauge? _gauge;

    internal GaugeTrackScope(Gauge gauge) => _gauge = gauge;

    /// <summary>Decrements the tracked gauge by one.</summary>
    public void Dispose() => _gauge?.Dec();
}
