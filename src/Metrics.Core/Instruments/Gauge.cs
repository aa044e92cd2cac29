namespace Metrics;

/// <summary>A value that goes up and down, such as in-flight requests or queue length.</summary>
public sealed class Gauge : MetricSeries
{
    private long _bits;

    internal Gauge(MetricFamily family, string[] labelValues)
        : base(family, labelValues)
    {
    }

    /// <summary>The current value.</summary>
    public double Value => AtomicDouble.Read(ref _bits);

    internal static SeriesKind Kind { get; } = new("a gauge", MetricType.Gauge);

    /// <summary>Sets the value.</summary>
    // Hot path: one store; must never allocate, lock or block.
    public void Set(double value)
    {
        AtomicDouble.Write(ref _bits, value);
        MarkUpdated();
    }

    /// <summary>Adds <paramref name="increment"/>, one by default.</summary>
    // Hot path: a compare-exchange loop; must never allocate, lock or block.
    public void Inc(double increment = 1.0)
    {
        AtomicDouble.Add(ref _bits, increment);
        MarkUpdated();
    }

    /// <summary>Subtracts <paramref name="decrement"/>, one by default.</summary>
    // Hot path: a compare-exchange loop; must never allocate, lock or block.
    public void Dec(double decrement = 1.0)
    {
        AtomicDouble.Add(ref _bits, -decrement);
        MarkUpdated();
    }

    /// <summary>
    /// Sets the value to the current Unix time in seconds, read from the registry's clock
    /// (<see cref="MetricRegistryOptions.TimeProvider"/>) with its sub-second precision.
    /// </summary>
    public void SetToCurrentTime() => Set(UnixTime.Seconds(Family.Registry.TimeProvider));

    /// <summary>
    /// Increments now and decrements when the returned scope is disposed:
    /// <c>using (gauge.Track()) { ... }</c>. The scope is a struct, so tracking allocates nothing.
    /// </summary>
    public GaugeTrackScope Track()
    {
        Inc();
        return new GaugeTrackScope(this);
    }

    internal override void Read<TReader>(ref TReader reader) => reader.Gauge(this, Value);
}
