namespace Metrics.AspNetCore;

/// <summary>
/// The series one (route, method, status) outcome records into, resolved once and then reused: the request counter,
/// and the duration histogram, classic or (with <see cref="PrometheusMetricsOptions.NativeRequestDuration"/>) native.
/// </summary>
internal sealed class RequestSeries(Counter requests, Histogram? duration, NativeHistogram? nativeDuration)
{
    public Counter Requests { get; } = requests;

    /// <summary>Observes the request's duration in seconds.</summary>
    // Hot path: one predictable branch and the histogram's observation; must never allocate.
    public void ObserveDuration(double seconds)
    {
        if (nativeDuration is not null)
        {
            nativeDuration.Observe(seconds);
        }
        else
        {
            duration!.Observe(seconds);
        }
    }
}
