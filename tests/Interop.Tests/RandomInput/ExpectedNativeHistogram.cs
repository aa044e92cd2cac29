namespace Interop.Tests.RandomInput;

/// <summary>
/// One native histogram series as the protobuf exposition must carry it, computed without the library: each value's
/// bucket at schema 0 is the binary exponent that bounds it, <c>(2^(i-1), 2^i]</c>, and at schemas -1 and -2 that
/// index divided by 2 or 4 and rounded up; values within the default zero threshold, 2^-128, go to the zero bucket.
/// </summary>
internal sealed class ExpectedNativeHistogram(string familyName, SampleLabels labels, int schema)
{
    private static readonly double ZeroThreshold = Math.ScaleB(1.0, -128);

    public string FamilyName { get; } = familyName;

    public SampleLabels Labels { get; } = labels;

    public int Schema { get; } = schema;

    public long Count { get; private set; }

    public long ZeroCount { get; private set; }

    /// <summary>The sum in observation order; the library may add in another order, so it is compared to a relative 1e-12.</summary>
    public double Sum { get; private set; }

    /// <summary>The sum of the observations' magnitudes, the scale of that tolerance.</summary>
    public double Magnitude { get; private set; }

    public SortedDictionary<int, long> Positive { get; } = [];

    public SortedDictionary<int, long> Negative { get; } = [];

    public void Add(double value)
    {
        Count++;
        Sum += value;
        Magnitude += Math.Abs(value);
        var magnitude = Math.Abs(value);
        if (magnitude <= ZeroThreshold)
        {
            ZeroCount++;
            return;
        }

        var exponent = Math.ILogB(magnitude);
        var schemaZeroIndex = Math.ScaleB(1.0, exponent) == magnitude ? exponent : exponent + 1;
        var index = (int)Math.Ceiling(schemaZeroIndex / (double)(1 << -Schema));
        var buckets = value > 0 ? Positive : Negative;
        buckets[index] = buckets.GetValueOrDefault(index) + 1;
    }
}
