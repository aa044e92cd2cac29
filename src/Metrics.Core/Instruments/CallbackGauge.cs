namespace Metrics;

/// <summary>
/// A gauge whose value is pulled from the application at scrape time, such as the number of healthy backends.
/// </summary>
/// <remarks>
/// The callback runs once per collection, on the scraping thread. If it throws, the series is left out of that
/// scrape, every other series is still rendered, and the failure is counted in <c>metrics_scrape_errors_total</c>.
/// </remarks>
public sealed class CallbackGauge : MetricSeries, ICallbackSeries
{
    private readonly CallbackValue _source;

    internal CallbackGauge(MetricFamily family, string[] labelValues, Func<double> callback)
        : base(family, labelValues)
    {
        _source = new CallbackValue(callback, isTotal: false);
    }

    /// <summary>The value the callback returned at the latest collection, or NaN before the first.</summary>
    public double Value => _source.TryRead(out var value) ? value : double.NaN;

    internal static SeriesKind Kind { get; } = new("a callback gauge", MetricType.Gauge);

    CallbackValue ICallbackSeries.Source => _source;

    // One read: a collection running meanwhile cannot pair "has a value" with a value that is gone.
    internal override void Read<TReader>(ref TReader reader)
    {
        if (_source.TryRead(out var value))
        {
            reader.Gauge(this, value);
        }
    }
}
