namespace Metrics;

/// <summary>Lock-free arithmetic on a <see cref="double"/> stored as its 64 bits in a <see cref="long"/>.</summary>
internal static class AtomicDouble
{
    // Hot path: a compare-exchange loop; never allocates, never locks.
    public static void Add(ref long bits, double increment)
    {
        var current = Volatile.Read(ref bits);
        while (true)
        {
            var updated = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(current) + increment);
            var observed = Interlocked.CompareExchange(ref bits, updated, current);
            if (observed == current)
            {
                return;
            }

            current = observed;
        }
    }

    public static double Read(ref long bits) => BitConverter.Int64BitsToDouble(Volatile.Read(ref bits));

    public static void Write(ref long bits, double value) => Volatile.Write(ref bits, BitConverter.DoubleToInt64Bits(value));
}
