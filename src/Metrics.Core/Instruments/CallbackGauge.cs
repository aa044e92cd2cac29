namespace Metrics;

/// <summary>
/// A gauge whose value is pulled from the application at scrape time, such as the number of healthy backends.
/// </summary>
/// <remarks>
/// The callback runs once per collection, on the scraping thread. If it throws, the series is left out of that
/// scrape, every other series is still rendered, and the failure is counted in <c>metrics_scrape_errors_total</c>.
/// </remarks>
public sealed class CallbackGauge : MetricSeries
{
    private readonly Func<double> _callback;
    private long _bits;
    private int _hasValue;

    internal CallbackGauge(MetricFamily family, string[] labelValues, Func<double> callback)
        : base(family, labelValues)
    {
        _callback = callback;
    }

    /// <summary>The value the callback returned at the latest collection, or NaN before the first.</summary>
    public double Value => HasValue ? AtomicDouble.Read(ref _bits) : double.NaN;

    internal Func<double> Callback => _callback;

    internal bool HasValue => Volatile.Read(ref _hasValue) != 0;

    /// <summary>Runs the callback; returns false when it threw, and the series then has no value.</summary>
    internal bool Evaluate()
    {
        try
        {
            AtomicDouble.Write(ref _bits, _callback());
            Volatile.Write(ref _hasValue, 1);
            return true;
        }
#pragma warning disable CA1031 // A user callback may throw anything; the scrape must survive it.
        catch (Exception)
#pragma warning restore CA1031
        {
            Volatile.Write(ref _hasValue, 0);
            return false;
        }
    }
}
