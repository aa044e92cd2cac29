namespace Metrics;

/// <summary>
/// The value of a callback series: the callback, what it returned at the latest collection, and whether that
/// collection gave a value. Shared by <see cref="CallbackGauge"/> and <see cref="CallbackCounter"/>.
/// </summary>
internal sealed class CallbackValue(Func<double> callback, bool isTotal)
{
    // Presence and value share one word, so a reader never pairs one collection's "has a value" with another's value:
    // a signaling-NaN pattern that no callback's result is stored as (NaN results are stored as double.NaN) means none.
    private const long NoValue = 0x7FF0_0000_0000_0001;

    private long _bits = NoValue;

    public Func<double> Callback => callback;

    /// <summary>The latest value, read in one step; false when the latest collection gave none.</summary>
    public bool TryRead(out double value)
    {
        var bits = Volatile.Read(ref _bits);
        value = BitConverter.Int64BitsToDouble(bits);
        return bits != NoValue;
    }

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
                Volatile.Write(ref _bits, NoValue);
                return false;
            }

            Volatile.Write(ref _bits, BitConverter.DoubleToInt64Bits(double.IsNaN(value) ? double.NaN : value));
            return true;
        }
#pragma warning disable CA1031 // A user callback may throw anything; the scrape must survive it.
        catch (Exception)
#pragma warning restore CA1031
        {
            Volatile.Write(ref _bits, NoValue);
            return false;
        }
    }
}
