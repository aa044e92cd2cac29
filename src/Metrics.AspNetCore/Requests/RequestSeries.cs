namespace Metrics.AspNetCore;

/// <summary>The series one (route, method, status) outcome records into, resolved once and then reused.</summary>
internal sealed class RequestSeries(Counter requests, Histogram duration)
{
    public Counter Requests { get; } = requests;

    public Histogram Duration { get; } = duration;
}
