namespace Metrics;

/// <summary>
/// A counter whose total is pulled at scrape time from something that already keeps it, such as the runtime's
/// garbage-collection count or a client library's bytes-sent total. Exposed as <c>name_total</c>, with the
/// counter type, so that <c>rate()</c> and <c>increase()</c> apply.
/// </summary>
/// <remarks>
/// The callback runs once per collection, on the scraping thread, and must return a total that only goes up;
/// Prometheus reads a lower total as a counter reset. If the callback throws, or returns a negative, NaN or
/// infinite total, the series is left out of that scrape, every other series is still rendered, and the failure
/// is counted in <c>metrics_scrape_errors_total</c>.
/// </remarks>
public sealed class CallbackCounter : MetricSeries, ICallbackSeries
{
    private readonly CallbackValue _source;

    internal CallbackCounter(MetricFamily family, string[] labelValues, Func<double> callback)
        : base(family, labelValues)
    {
        _source = new CallbackValue(callback, isTotal: true);
    }

    /// <summary>The total the callback returned at the latest collection, or NaN before the first or after a failed one.</summary>
    public double Value => _source.TryRead(out var value) ? value : double.NaN;

    internal static SeriesKind Kind { get; } = new("a callback counter", MetricType.Counter);

    CallbackValue ICallbackSeries.Source => _source;

    // One read: a collection running meanwhile cannot pair "has a value" with a value that is gone.
    internal override void Read<TReader>(ref TReader reader)
    {
        if (_source.TryRead(out var value))
        {
            reader.ExternalCounter(this, value);
        }
    }
}
