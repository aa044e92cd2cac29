namespace Metrics;

/// <summary>Wall-clock time as OpenMetrics writes timestamps and <c>_created</c>: Unix seconds, as a float.</summary>
internal static class UnixTime
{
    /// <summary>The current time in Unix seconds, with the clock's sub-second precision.</summary>
    public static double Seconds(TimeProvider time) =>
        (time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond;
}
