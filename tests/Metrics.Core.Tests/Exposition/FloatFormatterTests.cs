using System.Text;
using Metrics.Exposition;

namespace Metrics.Tests.Exposition;

public class FloatFormatterTests
{
    // Expected strings are what Go's strconv.FormatFloat(v, 'g', -1, 64) prints, which Prometheus's clients write.
    [TestCase(0.0, "0")]
    [TestCase(-0.0, "-0")]
    [TestCase(1.0, "1")]
    [TestCase(-1.0, "-1")]
    [TestCase(0.005, "0.005")]
    [TestCase(0.1, "0.1")]
    [TestCase(2.5, "2.5")]
    [TestCase(10.0, "10")]
    [TestCase(100000.0, "100000")]
    [TestCase(123456.0, "123456")]
    [TestCase(1e6, "1e+06")]
    [TestCase(1234567.0, "1.234567e+06")]
    [TestCase(0.0001, "0.0001")]
    [TestCase(0.00001, "1e-05")]
    [TestCase(0.000123, "0.000123")]
    [TestCase(1.5e-7, "1.5e-07")]
    [TestCase(1e21, "1e+21")]
    [TestCase(1e100, "1e+100")]
    [TestCase(5e-324, "5e-324")]
    [TestCase(double.MaxValue, "1.7976931348623157e+308")]
    [TestCase(0.30000000000000004, "0.30000000000000004")]
    [TestCase(-123.456, "-123.456")]
    [TestCase(2.9802322387695312e-08, "2.9802322387695312e-08")]
    [TestCase(double.NaN, "NaN")]
    [TestCase(double.PositiveInfinity, "+Inf")]
    [TestCase(double.NegativeInfinity, "-Inf")]
    public void Format_matches_go_shortest_g(double value, string expected) => Format(value, FloatFormatter.Format).ShouldBe(expected);

    // .NET 10's shortest digits for some powers of two (2^-25 among them) parse back to the neighbour below.
    [Test]
    public void Every_power_of_two_parses_back_to_the_same_bits()
    {
        for (var exponent = -1074; exponent <= 1023; exponent++)
        {
            var value = Math.ScaleB(1.0, exponent);
            foreach (var text in new[] { Format(value, FloatFormatter.Format), Format(value, FloatFormatter.FormatCanonical), Format(-value, FloatFormatter.Format) })
            {
                var parsed = double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
                Math.Abs(parsed).ShouldBe(value, $"2^{exponent} written as {text}");
            }
        }
    }

    [TestCase(1.0, "1.0")]
    [TestCase(10.0, "10.0")]
    [TestCase(0.005, "0.005")]
    [TestCase(1e-5, "1e-05")]
    [TestCase(1e6, "1e+06")]
    [TestCase(double.PositiveInfinity, "+Inf")]
    [TestCase(double.NaN, "NaN")]
    public void FormatCanonical_adds_a_point_zero_only_to_bare_integers(double value, string expected) =>
        Format(value, FloatFormatter.FormatCanonical).ShouldBe(expected);

    [Test]
    public void Every_formatted_value_parses_back_to_the_same_double()
    {
        var random = new Random(20261123);
        for (var i = 0; i < 100_000; i++)
        {
            var value = BitConverter.Int64BitsToDouble(random.NextInt64());
            if (!double.IsFinite(value))
            {
                continue;
            }

            double.Parse(Format(value, FloatFormatter.Format), System.Globalization.CultureInfo.InvariantCulture).ShouldBe(value);
        }
    }

    private static string Format(double value, Formatter formatter)
    {
        Span<byte> buffer = stackalloc byte[FloatFormatter.MaxLength];
        return Encoding.ASCII.GetString(buffer[..formatter(value, buffer)]);
    }

    private delegate int Formatter(double value, Span<byte> destination);
}
