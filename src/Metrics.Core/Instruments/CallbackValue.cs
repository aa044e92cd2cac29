namespace Metrics;

/// <summary>
/// The value of a callback series: the callback, what it returned at the latest collection, and whether that
/// collection gave a value. Shared by <see cref="CallbackGauge"/> and <see cref="CallbackCounter"/>.
/// </summary>
internal sealed class CallbackValue(Func<double> callback, bool isTotal)
{
    private long _bits;
    private int _hasValue;

    public Func<double> Callback => callback;

    public bool HasValue => Volatile.Read(ref _hasValue) != 0;

    /// <summary>The latest value, or NaN when the latest collection gave none.</summary>
    public double Value => HasValue ? AtomicDouble.Read(ref _bits) : double.NaN;

    /// <summary>
    /// Runs the callback; returns false when it threw, or when a total came back negative, NaN or infinite. The
    /// series then has no value until a later collection succeeds.
    /// </summary>
    public bool Evaluate()
    {
        try
        {
            var value = callback();
            if (isTotal && !(double.IsFinite(value) && value >= 0))
            {
                Volatile.Write(ref _hasValue, 0);
                return false;
            }

            AtomicDouble.Write(ref _bits, value);
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
