using Metrics;

namespace Gateway.Telemetry;

/// <summary>
/// The sum of several histogram series with the same buckets, as PromQL's <c>sum by (le)</c> gives, with the
/// quantile estimate of <c>histogram_quantile</c>: <see cref="HistogramSnapshot.Quantile"/>'s rules applied to the sum.
/// </summary>
/// <remarks>
/// Metrics.Core snapshots one series at a time and cannot build a snapshot from summed buckets, so the interpolation
/// is repeated here for the per-backend and per-model latencies of <c>/v1/stats</c>.
/// </remarks>
internal sealed class HistogramAggregate
{
    private IReadOnlyList<double>? _upperBounds;
    private long[] _cumulative = [];

    /// <summary>Observations in all the added series.</summary>
    public long Count => _cumulative.Length == 0 ? 0 : _cumulative[^1];

    /// <summary>The sum of all observations.</summary>
    public double Sum { get; private set; }

    /// <summary>Adds one series.</summary>
    /// <exception cref="ArgumentException">Its buckets differ from those added before.</exception>
    public void Add(HistogramSnapshot histogram)
    {
        if (_upperBounds is null)
        {
            _upperBounds = histogram.UpperBounds;
            _cumulative = new long[histogram.CumulativeCounts.Count];
        }
        else if (!_upperBounds.SequenceEqual(histogram.UpperBounds))
        {
            throw new ArgumentException("Only histograms with the same bucket bounds can be added together.", nameof(histogram));
        }

        for (var i = 0; i < _cumulative.Length; i++)
        {
            _cumulative[i] += histogram.CumulativeCounts[i];
        }

        Sum += histogram.Sum;
    }

    /// <summary>The mean observation, or null when there are none.</summary>
    public double? Mean => Count == 0 ? null : Sum / Count;

    /// <summary>The estimated <paramref name="q"/>-quantile (0 ≤ q ≤ 1), or null when there are no observations.</summary>
    public double? Quantile(double q)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(q, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(q, 1);
        if (Count == 0 || _upperBounds is null)
        {
            return null;
        }

        var rank = q * Count;
        var bucket = 0;
        while (bucket < _cumulative.Length - 1 && _cumulative[bucket] < rank)
        {
            bucket++;
        }

        if (bucket == _cumulative.Length - 1)
        {
            return _upperBounds[^2];
        }

        if (bucket == 0 && _upperBounds[0] <= 0)
        {
            return _upperBounds[0];
        }

        var start = bucket == 0 ? 0 : _upperBounds[bucket - 1];
        var below = bucket == 0 ? 0 : _cumulative[bucket - 1];
        return start + ((_upperBounds[bucket] - start) * ((rank - below) / (_cumulative[bucket] - below)));
    }
}
