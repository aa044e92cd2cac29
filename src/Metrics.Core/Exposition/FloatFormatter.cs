using System.Globalization;

namespace Metrics.Exposition;

/// <summary>
/// Formats doubles the way Prometheus's own Go code does, <c>strconv.FormatFloat(v, 'g', -1, 64)</c>, so that
/// <c>le</c> labels and values are byte-identical to what other clients write: <c>0.005</c>, <c>1</c>, <c>2.5</c>,
/// <c>1e+06</c>, <c>1e-05</c>, <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>.
/// </summary>
internal static class FloatFormatter
{
    /// <summary>Room enough for any double in either form.</summary>
    public const int MaxLength = 32;

    // Go's shortest %g switches to exponent form from this decimal exponent up.
    private const int ExponentFormFrom = 6;

    // ...and below this one.
    private const int ExponentFormBelow = -4;

    /// <summary>Writes Go's shortest <c>%g</c> form of <paramref name="value"/>; returns the bytes written.</summary>
    public static int Format(double value, Span<byte> destination)
    {
        if (double.IsNaN(value))
        {
            return Copy("NaN"u8, destination);
        }

        if (double.IsInfinity(value))
        {
            return Copy(value > 0 ? "+Inf"u8 : "-Inf"u8, destination);
        }

        if (value == 0)
        {
            return Copy(double.IsNegative(value) ? "-0"u8 : "0"u8, destination);
        }

        // .NET's "R" gives the shortest digits that round-trip, like Go; only the layout around them differs. Except
        // at an exact power of two, where the gap below is half the gap above: there .NET 10 can give digits of the
        // neighbour below (2^-25 as 2.980232238769531e-08), so those few values are checked and, when they do not
        // parse back, written with the 17 digits that always do.
        Span<byte> roundTrip = stackalloc byte[MaxLength];
        value.TryFormat(roundTrip, out var length, "R", CultureInfo.InvariantCulture);
        if (IsPowerOfTwo(value) && !ParsesBackTo(roundTrip[..length], value))
        {
            value.TryFormat(roundTrip, out length, "G17", CultureInfo.InvariantCulture);
        }

        Span<byte> digits = stackalloc byte[MaxLength];
        var (digitCount, pointPosition) = ParseDigits(roundTrip[..length], digits);

        var position = 0;
        if (value < 0)
        {
            destination[position++] = (byte)'-';
        }

        var exponent = pointPosition - 1;
        position += exponent < ExponentFormBelow || exponent >= ExponentFormFrom
            ? WriteExponentForm(digits[..digitCount], exponent, destination[position..])
            : WritePlainForm(digits[..digitCount], pointPosition, destination[position..]);
        return position;
    }

    private static bool IsPowerOfTwo(double value) => (BitConverter.DoubleToInt64Bits(value) & 0x000F_FFFF_FFFF_FFFFL) == 0;

    private static bool ParsesBackTo(ReadOnlySpan<byte> text, double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && parsed == value;

    /// <summary>
    /// Writes the canonical OpenMetrics form: Go's <c>%g</c> plus <c>.0</c> when it has neither a point nor an
    /// exponent, so <c>1.0</c>, <c>0.005</c>, <c>1e+06</c>, <c>+Inf</c>.
    /// </summary>
    public static int FormatCanonical(double value, Span<byte> destination)
    {
        var length = Format(value, destination);
        if (!double.IsFinite(value) || destination[..length].IndexOfAny(".e"u8) >= 0)
        {
            return length;
        }

        destination[length] = (byte)'.';
        destination[length + 1] = (byte)'0';
        return length + 2;
    }

    /// <summary>
    /// Writes a Unix timestamp in seconds in plain decimal with its shortest round-trip digits, such as
    /// <c>1704164645.5</c>. OpenMetrics allows an exponent here too, but parsers that split a timestamp at its
    /// point into seconds and nanoseconds (the Python client's, for one) misread <c>1.7041646455e+09</c> as 1.7 s.
    /// </summary>
    public static int FormatTimestamp(double seconds, Span<byte> destination)
    {
        if (double.IsFinite(seconds)
            && seconds.TryFormat(destination, out var length, "R", CultureInfo.InvariantCulture)
            && destination[..length].IndexOfAny((byte)'E', (byte)'e') < 0)
        {
            return length;
        }

        return FormatCanonical(seconds, destination);
    }

    /// <summary>
    /// Reads the significant digits of a round-trip string into <paramref name="digits"/>, and where the decimal point
    /// falls: the value is <c>0.d1d2d3… × 10^pointPosition</c>, as in Go's decimal type.
    /// </summary>
    private static (int DigitCount, int PointPosition) ParseDigits(ReadOnlySpan<byte> text, Span<byte> digits)
    {
        var digitCount = 0;
        var pointPosition = 0;
        var afterPoint = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '-')
            {
                continue;
            }

            if (c == '.')
            {
                afterPoint = true;
                continue;
            }

            if (c is (byte)'E' or (byte)'e')
            {
                pointPosition += int.Parse(text[(i + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                break;
            }

            if (digitCount == 0 && c == '0')
            {
                pointPosition -= afterPoint ? 1 : 0;
                continue;
            }

            digits[digitCount++] = c;
            pointPosition += afterPoint ? 0 : 1;
        }

        while (digitCount > 1 && digits[digitCount - 1] == '0')
        {
            digitCount--;
        }

        return (digitCount, pointPosition);
    }

    private static int WriteExponentForm(ReadOnlySpan<byte> digits, int exponent, Span<byte> destination)
    {
        var position = 0;
        destination[position++] = digits[0];
        if (digits.Length > 1)
        {
            destination[position++] = (byte)'.';
            digits[1..].CopyTo(destination[position..]);
            position += digits.Length - 1;
        }

        destination[position++] = (byte)'e';
        destination[position++] = exponent < 0 ? (byte)'-' : (byte)'+';
        var magnitude = Math.Abs(exponent);
        if (magnitude < 10)
        {
            destination[position++] = (byte)'0';
        }

        magnitude.TryFormat(destination[position..], out var written, default, CultureInfo.InvariantCulture);
        return position + written;
    }

    private static int WritePlainForm(ReadOnlySpan<byte> digits, int pointPosition, Span<byte> destination)
    {
        var position = 0;
        if (pointPosition <= 0)
        {
            destination[position++] = (byte)'0';
            destination[position++] = (byte)'.';
            destination.Slice(position, -pointPosition).Fill((byte)'0');
            position += -pointPosition;
            digits.CopyTo(destination[position..]);
            return position + digits.Length;
        }

        var integerDigits = Math.Min(pointPosition, digits.Length);
        digits[..integerDigits].CopyTo(destination);
        position += integerDigits;
        destination.Slice(position, pointPosition - integerDigits).Fill((byte)'0');
        position += pointPosition - integerDigits;
        if (digits.Length > pointPosition)
        {
            destination[position++] = (byte)'.';
            digits[pointPosition..].CopyTo(destination[position..]);
            position += digits.Length - pointPosition;
        }

        return position;
    }

    private static int Copy(ReadOnlySpan<byte> text, Span<byte> destination)
    {
        text.CopyTo(destination);
        return text.Length;
    }
}
