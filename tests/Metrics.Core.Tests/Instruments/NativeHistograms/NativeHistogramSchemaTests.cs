namespace Metrics.Tests.Instruments.NativeHistograms;

public sealed class NativeHistogramSchemaTests
{
    private const double MinNormal = 2.2250738585072014E-308;

    [TestCase(1.1, 3)]
    [TestCase(2.0, 0)]
    [TestCase(4.0, -1)]
    [TestCase(1.5, 1)]
    [TestCase(1.01, 7)]
    [TestCase(1.0001, 8)]
    [TestCase(65536.0, -4)]
    [TestCase(1e300, -4)]
    [TestCase(1.0905077326652577, 3)]
    public void Schema_is_the_largest_whose_growth_factor_does_not_exceed_the_bucket_factor(double factor, int schema)
    {
        NativeHistogramSchema.FromBucketFactor(factor).ShouldBe(schema);
    }

    [TestCase(1.0)]
    [TestCase(0.5)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void Bucket_factor_of_one_or_less_or_not_finite_is_rejected_naming_the_value(double factor)
    {
        var error = Should.Throw<ArgumentOutOfRangeException>(() => NativeHistogramSchema.FromBucketFactor(factor));

        error.ParamName.ShouldBe("bucketFactor");
        error.Message.ShouldContain($"Invalid native histogram bucket factor {factor}: it must be finite and greater than 1.");
    }

    // Hand-computed from the definition: bucket i holds (2^((i-1)/2^s), 2^(i/2^s)], upper bound inclusive.
    [TestCase(3, 1.0, 0)]
    [TestCase(3, 1.0000000000000002, 1)]
    [TestCase(3, 2.0, 8)]
    [TestCase(3, 0.5, -8)]
    [TestCase(3, 1.0905077326652577, 1)]
    [TestCase(3, 1.5, 5)]
    [TestCase(3, 3.0, 13)]
    [TestCase(0, 1.0, 0)]
    [TestCase(0, 1.5, 1)]
    [TestCase(0, 2.0, 1)]
    [TestCase(0, 2.0000000000000004, 2)]
    [TestCase(0, 0.75, 0)]
    [TestCase(0, 0.5, -1)]
    [TestCase(-1, 1.0, 0)]
    [TestCase(-1, 1.5, 1)]
    [TestCase(-1, 4.0, 1)]
    [TestCase(-1, 4.000000000000001, 2)]
    [TestCase(-1, 0.25, -1)]
    [TestCase(-1, 0.26, 0)]
    [TestCase(-1, 0.0625, -2)]
    [TestCase(-1, 0.03125, -2)]
    [TestCase(-2, 16.0, 1)]
    [TestCase(-2, 17.0, 2)]
    [TestCase(-2, 0.0625, -1)]
    [TestCase(-2, 0.03125, -1)]
    [TestCase(-4, 65536.0, 1)]
    [TestCase(-4, 65537.0, 2)]
    [TestCase(-4, 1.0, 0)]
    [TestCase(-4, 1.52587890625e-05, -1)]
    [TestCase(-4, 7.62939453125e-06, -1)]
    [TestCase(8, 1.0, 0)]
    [TestCase(8, 2.0, 256)]
    public void Bucket_index_of_known_values_matches_the_definition(int schema, double value, int index)
    {
        NativeHistogramSchema.BucketIndex(value, schema).ShouldBe(index);
    }

    [TestCase(8, 262145)]
    [TestCase(3, 8193)]
    [TestCase(0, 1025)]
    [TestCase(-4, 65)]
    public void Infinity_has_its_own_bucket_one_above_the_largest_finite_value(int schema, int index)
    {
        NativeHistogramSchema.BucketIndex(double.PositiveInfinity, schema).ShouldBe(index);
        NativeHistogramSchema.BucketIndex(double.MaxValue, schema).ShouldBe(index - 1);
        NativeHistogramSchema.UpperBound(index - 1, schema).ShouldBe(double.MaxValue);
        NativeHistogramSchema.UpperBound(index, schema).ShouldBe(double.PositiveInfinity);
    }

    [Test]
    public void Subnormal_values_get_the_buckets_of_their_true_magnitude()
    {
        // 2^-1074 is 0.5 × 2^-1073 in frexp terms: at schema 0 it is the upper bound of bucket -1074.
        NativeHistogramSchema.BucketIndex(double.Epsilon, 0).ShouldBe(-1074);
        NativeHistogramSchema.UpperBound(-1074, 0).ShouldBe(double.Epsilon);
        NativeHistogramSchema.BucketIndex(double.Epsilon, 3).ShouldBe(-1074 * 8);
        NativeHistogramSchema.BucketIndex(3 * double.Epsilon, 0).ShouldBe(-1072);
        NativeHistogramSchema.BucketIndex(BitConverter.Int64BitsToDouble(0x000F_FFFF_FFFF_FFFF), 0).ShouldBe(-1022);
    }

    // Prometheus's definition, written the plain way: frexp, then a binary search (the smallest boundary not
    // below the fraction) above schema 0, or the exponent shifted at and below it.
    private static int ReferenceIndex(double value, int schema)
    {
        var exponent = Math.ILogB(value) + 1;
        var fraction = Math.ScaleB(value, -exponent);
        if (schema > 0)
        {
            var bounds = NativeHistogramBounds.ForSchema(schema).ToArray();
            var found = Array.BinarySearch(bounds, fraction);
            return (found >= 0 ? found : ~found) + ((exponent - 1) * bounds.Length);
        }

        var index = fraction == 0.5 ? exponent - 1 : exponent;
        var divisor = 1 << -schema;
        return (int)Math.Ceiling(index / (double)divisor);
    }

    [Test]
    public void Bucket_index_agrees_with_a_binary_search_for_every_boundary_and_its_neighbours_in_every_schema()
    {
        for (var schema = NativeHistogramSchema.Min; schema <= NativeHistogramSchema.Max; schema++)
        {
            for (var index = -3000; index <= 3000; index += schema > 4 ? 1 : 3)
            {
                var bound = NativeHistogramSchema.UpperBound(index, schema);
                if (bound == 0 || bound >= double.MaxValue)
                {
                    continue;
                }

                foreach (var value in new[] { bound, Math.BitDecrement(bound), Math.BitIncrement(bound) }.Where(value => value > 0))
                {
                    NativeHistogramSchema.BucketIndex(value, schema).ShouldBe(ReferenceIndex(value, schema), $"schema {schema}, value {value:R}");
                }

                // Among subnormals, whose spacing is wider than the finest buckets, a boundary rounds off its exact value.
                if (bound >= MinNormal)
                {
                    NativeHistogramSchema.BucketIndex(bound, schema).ShouldBe(index, $"schema {schema}: an upper bound is inside its own bucket");
                    NativeHistogramSchema.BucketIndex(Math.BitIncrement(bound), schema).ShouldBe(index + 1);
                }
            }
        }
    }

    [Test]
    public void Bucket_index_agrees_with_a_binary_search_for_random_values_in_every_schema()
    {
        var random = new Random(1804);
        for (var i = 0; i < 200_000; i++)
        {
            var value = Math.Abs(BitConverter.Int64BitsToDouble(random.NextInt64()));
            if (!double.IsFinite(value) || value == 0)
            {
                continue;
            }

            var schema = random.Next(NativeHistogramSchema.Min, NativeHistogramSchema.Max + 1);
            NativeHistogramSchema.BucketIndex(value, schema).ShouldBe(ReferenceIndex(value, schema), $"schema {schema}, value {value:R}");
        }
    }

    [TestCase(3, 0, 1.0)]
    [TestCase(3, 1, 1.0905077326652577)]
    [TestCase(3, 8, 2.0)]
    [TestCase(3, -1, 0.9170040432046711)]
    [TestCase(3, -8, 0.5)]
    [TestCase(0, 3, 8.0)]
    [TestCase(0, -2, 0.25)]
    [TestCase(-1, 2, 16.0)]
    [TestCase(-2, -1, 0.0625)]
    [TestCase(-4, 2, 4294967296.0)]
    public void Upper_bound_of_a_bucket_is_the_schema_boundary(int schema, int index, double bound)
    {
        NativeHistogramSchema.UpperBound(index, schema).ShouldBe(bound);
        NativeHistogramSchema.LowerBound(index + 1, schema).ShouldBe(bound);
    }

    [TestCase(1, 3, 2, 1)]
    [TestCase(2, 3, 2, 1)]
    [TestCase(0, 3, 2, 0)]
    [TestCase(-1, 3, 2, 0)]
    [TestCase(-2, 3, 2, -1)]
    [TestCase(-3, 3, 2, -1)]
    [TestCase(7, 0, -2, 2)]
    [TestCase(-7, 0, -2, -1)]
    [TestCase(8193, 3, 2, 4097)]
    public void Coarser_index_is_the_bucket_that_contains_the_finer_one(int index, int from, int to, int expected)
    {
        NativeHistogramSchema.CoarserIndex(index, from, to).ShouldBe(expected);
        // The finer bucket lies inside the coarser one.
        NativeHistogramSchema.UpperBound(index, from).ShouldBeLessThanOrEqualTo(NativeHistogramSchema.UpperBound(expected, to));
        NativeHistogramSchema.LowerBound(index, from).ShouldBeGreaterThanOrEqualTo(NativeHistogramSchema.LowerBound(expected, to));
    }

    [Test]
    public void Boundary_table_is_prometheus_own_for_schema_3()
    {
        // exponentialBounds[3] of prometheus/prometheus model/histogram/generic.go, which differs from the correctly
        // rounded powers in the last digit of three entries (…475, …144, …711).
        NativeHistogramBounds.ForSchema(3).ToArray().ShouldBe(
        [
            0.5, 0.5452538663326288, 0.5946035575013605, 0.6484197773255048,
            0.7071067811865475, 0.7711054127039704, 0.8408964152537144, 0.9170040432046711,
        ]);
        NativeHistogramBounds.ForSchema(1).ToArray().ShouldBe([0.5, 0.7071067811865475]);
        NativeHistogramBounds.ForSchema(0).ToArray().ShouldBe([0.5]);
    }

    [Test]
    public void Boundary_table_holds_the_powers_it_stands_for_within_a_few_units_in_the_last_place()
    {
        for (var schema = 1; schema <= NativeHistogramSchema.Max; schema++)
        {
            var bounds = NativeHistogramBounds.ForSchema(schema);
            bounds.Length.ShouldBe(1 << schema);
            for (var j = 0; j < bounds.Length; j++)
            {
                var exact = Math.Pow(2, j / (double)bounds.Length) / 2;
                var ulps = Math.Abs(BitConverter.DoubleToInt64Bits(bounds[j]) - BitConverter.DoubleToInt64Bits(exact));
                ulps.ShouldBeLessThanOrEqualTo(5, $"schema {schema}, boundary {j}");
                if (j > 0)
                {
                    bounds[j].ShouldBeGreaterThan(bounds[j - 1]);
                }
            }
        }
    }
}
