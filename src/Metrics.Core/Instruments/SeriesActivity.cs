namespace Metrics;

/// <summary>
/// Where a series stands in its family's idle expiry (<see cref="FamilyOptions.ExpireAfter"/>). Measurements move
/// it to <see cref="Active"/>; each scrape moves an active series to <see cref="Idle"/>, and an idle one past the
/// family's idle time to <see cref="Expired"/>, removing it. Every transition is a compare-exchange on one field,
/// so a measurement and a scrape always agree on whether the series was removed.
/// </summary>
internal static class SeriesActivity
{
    /// <summary>The series belongs to a family that never expires series; nothing ever changes this.</summary>
    public const int Permanent = 0;

    /// <summary>Updated since the latest scrape.</summary>
    public const int Active = 1;

    /// <summary>Not updated since the latest scrape.</summary>
    public const int Idle = 2;

    /// <summary>Removed from its family; its next update or lookup puts it back.</summary>
    public const int Expired = 3;

    /// <summary>
    /// Removed from its family for good, by <see cref="MetricFamily.Remove(ReadOnlySpan{string})"/> or
    /// <see cref="MetricFamily.Clear"/>: updates still land in it, but nothing reads it and nothing puts it back.
    /// </summary>
    public const int Removed = 4;
}
