namespace Metrics;

/// <summary>Which series class a family holds; finer than <see cref="MetricType"/>, and part of a family's shape.</summary>
internal enum SeriesKind
{
    Counter,
    DoubleCounter,
    Gauge,
    CallbackGauge,
    CallbackCounter,
    Histogram,
    Summary,
}
