using System.Buffers;
using System.Globalization;
using System.Text;
using Metrics;

namespace Interop.Tests.RandomInput;

/// <summary>
/// One registry built from a seed: random families of every metric type, with random names, help texts, units,
/// label names and Unicode label values, measured through the public API, together with the OpenMetrics samples
/// those measurements must expose, computed independently of the library (except where the library defines the
/// value: a histogram's or summary's float <c>_sum</c> and a summary's quantile estimates, taken from its snapshot).
/// Every family name ends in <c>_f{family}_r{index}</c> (before any unit), so families never collide and registries can
/// share one exposition. Native histogram families come last, drawn from a generator of their own, so a seed
/// builds the same other families as before they existed; their buckets are computed here from each value's binary
/// exponent, which at schemas 0, -1 and -2 gives the bucket exactly.
/// </summary>
internal sealed class RandomRegistry
{
    private static readonly string[] Units = ["seconds", "bytes", "ratio", "celsius", "meters", "requests"];

    // Suffixes that OpenMetrics gives to samples; a unit never ends a name with one of them.
    private static readonly string[] SampleSuffixes = ["total", "count", "sum", "bucket", "created", "info", "gcount", "gsum"];
    private static readonly double[] QuantileChoices = [0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999];

    private readonly Random _random;
    private readonly RandomText _text;
    private readonly string _tag;
    private int _familyCount;
    private readonly List<ExpectedFamily> _families = [];
    private readonly List<ExpectedNativeHistogram> _nativeHistograms = [];

    private RandomRegistry(int seed, int index)
    {
        Seed = seed;
        Index = index;
        _random = new Random(seed);
        _text = new RandomText(_random);
        _tag = "_r" + index.ToString(CultureInfo.InvariantCulture);
        Registry = new MetricRegistry(new MetricRegistryOptions { EnableCreatedSamples = _random.Next(4) == 0 });
    }

    /// <summary>The seed that rebuilds this registry exactly.</summary>
    public int Seed { get; }

    /// <summary>The tag in every family name, which keeps registries of one batch apart.</summary>
    public int Index { get; }

    public MetricRegistry Registry { get; }

    /// <summary>The families as OpenMetrics must expose them, by family name.</summary>
    public IReadOnlyList<ExpectedFamily> Families => _families;

    /// <summary>The native histogram series and the native buckets they must expose in protobuf.</summary>
    public IReadOnlyList<ExpectedNativeHistogram> NativeHistograms => _nativeHistograms;

    /// <summary>Builds the registry of <paramref name="seed"/>, with its names tagged by <paramref name="index"/>.</summary>
    public static RandomRegistry Create(int seed, int index)
    {
        var generated = new RandomRegistry(seed, index);
        var count = 1 + generated._random.Next(6);
        for (var i = 0; i < count; i++)
        {
            generated.AddFamily();
        }

        generated.AddNativeHistograms(new Random(unchecked((seed * 31) + 17)));
        generated.CompleteFromSnapshot();
        return generated;
    }

    /// <summary>The registry's exposition in <paramref name="format"/>.</summary>
    public string Exposition(ExpositionFormat format)
    {
        var output = new ArrayBufferWriter<byte>();
        MetricsExposition.Write(Registry, format, output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private void AddFamily()
    {
        var unit = _random.Next(4) == 0 ? (_random.Next(3) == 0 ? _text.LabelName(6).ToLowerInvariant() : Units[_random.Next(Units.Length)]) : null;
        unit = unit is not null && SampleSuffixes.Any(suffix => unit.EndsWith(suffix, StringComparison.Ordinal)) ? "units" : unit;
        // The family's number keeps names distinct within the registry: short random names repeat, and two families of
        // one name (or one's samples named like another's) are refused at registration, by design.
        var baseName = _text.MetricName() + "_f" + (_familyCount++).ToString(CultureInfo.InvariantCulture) + _tag + (unit is null ? "" : "_" + unit);
        baseName = baseName.StartsWith("__", StringComparison.Ordinal) ? "x" + baseName : baseName;
        var help = _text.Value(40);
        var options = new FamilyOptions { Unit = unit };
        switch (_random.Next(7))
        {
            case 0:
                AddCounter(baseName, help, options, integer: true);
                break;
            case 1:
                AddCounter(baseName, help, options, integer: false);
                break;
            case 2:
                AddGauge(baseName, help, options);
                break;
            case 3:
                AddCallback(baseName, help, counter: false);
                break;
            case 4:
                AddCallback(baseName, help, counter: true);
                break;
            case 5:
                AddHistogram(baseName, help, options);
                break;
            default:
                AddSummary(baseName, help, options);
                break;
        }
    }

    private void AddCounter(string baseName, string help, FamilyOptions options, bool integer)
    {
        var labelNames = LabelNames(null);
        var expected = Family(baseName, "counter", help, options.Unit);
        if (integer)
        {
            var family = Registry.CreateCounterFamily(CounterArgument(baseName), help, labelNames, options);
            foreach (var labels in LabelSets(labelNames))
            {
                var series = family.WithLabels(labels.Values);
                Increment(expected, labels, IntegerIncrement, (increment, exemplar) => series.Inc((long)increment, exemplar));
            }
        }
        else
        {
            var family = Registry.CreateDoubleCounterFamily(CounterArgument(baseName), help, labelNames, options);
            foreach (var labels in LabelSets(labelNames))
            {
                var series = family.WithLabels(labels.Values);
                Increment(expected, labels, NonNegativeFinite, (increment, exemplar) => series.Inc(increment, exemplar));
            }
        }
    }

    // Up to five increments, a third of them with an exemplar (an empty exemplar means none); the total stays below
    // 2^53, so integer increments add up exactly as doubles too.
    private void Increment(ExpectedFamily expected, SampleLabels labels, Func<double> next, Action<double, Exemplar> increment)
    {
        var total = 0.0;
        ExpectedExemplar? latest = null;
        for (var i = _random.Next(6); i > 0; i--)
        {
            var value = next();
            total += value;
            var exemplar = default(Exemplar);
            if (_random.Next(3) == 0)
            {
                (exemplar, var exemplarLabels) = RandomExemplar();
                latest = new ExpectedExemplar(exemplarLabels, value);
            }

            increment(value, exemplar);
        }

        expected.Add(expected.Name + "_total", labels, total, latest);
    }

    private double IntegerIncrement() => _random.Next(3) switch
    {
        0 => 1,
        1 => _random.NextInt64(0, 1_000),
        _ => _random.NextInt64(0, 1L << 50),
    };

    private void AddGauge(string baseName, string help, FamilyOptions options)
    {
        var labelNames = LabelNames(null);
        var family = Registry.CreateGaugeFamily(baseName, help, labelNames, options);
        var expected = Family(baseName, "gauge", help, options.Unit);
        foreach (var labels in LabelSets(labelNames))
        {
            var series = family.WithLabels(labels.Values);
            var value = AnyDouble();
            series.Set(value);
            if (_random.Next(3) == 0)
            {
                var increment = AnyDouble();
                series.Inc(increment);
                value += increment;
            }

            expected.Add(baseName, labels, value, null);
        }
    }

    private void AddCallback(string baseName, string help, bool counter)
    {
        var value = counter ? NonNegativeFinite() : AnyDouble();
        if (counter)
        {
            Registry.CreateCallbackCounter(CounterArgument(baseName), help, () => value);
            Family(baseName, "counter", help, null).Add(baseName + "_total", SampleLabels.Empty, value, null);
        }
        else
        {
            Registry.CreateCallbackGauge(baseName, help, () => value);
            Family(baseName, "gauge", help, null).Add(baseName, SampleLabels.Empty, value, null);
        }
    }

    private void AddHistogram(string baseName, string help, FamilyOptions options)
    {
        var bounds = _random.Next(5) == 0 ? null : Bounds();
        var labelNames = LabelNames("le");
        var family = Registry.CreateHistogramFamily(baseName, help, labelNames, bounds, options);
        var upper = bounds ?? HistogramBuckets.Default;
        var expected = Family(baseName, "histogram", help, options.Unit);
        foreach (var labels in LabelSets(labelNames))
        {
            var series = family.WithLabels(labels.Values);
            var counts = new long[upper.Count + 1];
            var exemplars = new ExpectedExemplar?[upper.Count + 1];
            for (var i = _random.Next(12); i > 0; i--)
            {
                var value = Observation(upper);
                if (_random.Next(4) == 0)
                {
                    var (exemplar, exemplarLabels) = RandomExemplar();
                    series.Observe(value, exemplar);
                    if (!double.IsNaN(value))
                    {
                        exemplars[BucketOf(upper, value)] = new ExpectedExemplar(exemplarLabels, value);
                    }
                }
                else
                {
                    series.Observe(value);
                }

                if (!double.IsNaN(value))
                {
                    counts[BucketOf(upper, value)]++;
                }
            }

            long cumulative = 0;
            for (var b = 0; b <= upper.Count; b++)
            {
                cumulative += counts[b];
                var le = b < upper.Count ? upper[b] : double.PositiveInfinity;
                expected.Add(baseName + "_bucket", labels.With("le", le), cumulative, exemplars[b]);
            }

            // OpenMetrics allows _sum (and _count beside it) only when no bucket can hold a negative observation,
            // and only while the sum is a counter: neither negative nor NaN.
            if (upper[0] >= 0)
            {
                var values = labels.Values;
                var total = cumulative;
                expected.Add(baseName + "_count", labels, snapshot => CounterLike(snapshot.Find(baseName)!.Find(values)!.Histogram!.Sum) is null ? null : total);
                expected.Add(baseName + "_sum", labels, snapshot => CounterLike(snapshot.Find(baseName)!.Find(values)!.Histogram!.Sum));
            }
        }
    }

    // Up to two native families, at schema 0, -1 or -2, a third of them also with classic buckets.
    private void AddNativeHistograms(Random random)
    {
        var text = new RandomText(random);
        for (var f = random.Next(3); f > 0; f--)
        {
            var baseName = text.MetricName() + "_f" + (_familyCount++).ToString(CultureInfo.InvariantCulture) + _tag;
            baseName = baseName.StartsWith("__", StringComparison.Ordinal) ? "x" + baseName : baseName;
            var help = text.Value(40);
            var schema = -random.Next(3);
            double[]? classic = random.Next(3) == 0 ? [0.001, 1, 1000] : null;
            var labelNames = new List<string>();
            for (var i = random.Next(3); i > 0; i--)
            {
                var name = text.LabelName();
                if (name != "le" && !labelNames.Contains(name))
                {
                    labelNames.Add(name);
                }
            }

            var family = Registry.CreateNativeHistogramFamily(
                baseName, help, [.. labelNames], new NativeHistogramOptions { BucketFactor = Math.Pow(2, 1 << -schema), ClassicBuckets = classic });
            var expected = Family(baseName, "histogram", help, null);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var s = 1 + random.Next(3); s > 0; s--)
            {
                var values = labelNames.Select(_ => text.Value()).ToArray();
                if (seen.Add(string.Join("\u0001", values)))
                {
                    AddNativeSeries(random, family.WithLabels(values), expected, new SampleLabels([.. labelNames], values), schema, classic);
                }
            }
        }
    }

    private void AddNativeSeries(Random random, NativeHistogram series, ExpectedFamily expected, SampleLabels labels, int schema, double[]? classic)
    {
        var native = new ExpectedNativeHistogram(expected.Name, labels, schema);
        var upper = classic ?? [];
        var counts = new long[upper.Length + 1];
        for (var i = random.Next(40); i > 0; i--)
        {
            var value = random.Next(8) switch
            {
                0 => 0.0,
                1 => -0.0,
                2 => double.NaN,
                3 => Math.ScaleB(1.0, random.Next(-30, 30)),
                4 => -Math.ScaleB(1.0, random.Next(-30, 30)),
                5 => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-6, 7)),
                6 => Math.ScaleB(1.0, -128) * random.Next(0, 3),
                _ => random.NextDouble() * Math.Pow(10, random.Next(-6, 7)),
            };
            series.Observe(value);
            if (double.IsNaN(value))
            {
                continue;
            }

            native.Add(value);
            counts[BucketOf(upper, value)]++;
        }

        long cumulative = 0;
        for (var b = 0; b <= upper.Length; b++)
        {
            cumulative += counts[b];
            expected.Add(expected.Name + "_bucket", labels.With("le", b < upper.Length ? upper[b] : double.PositiveInfinity), cumulative, null);
        }

        // As for classic histograms, OpenMetrics carries _count and _sum only while the sum is a counter.
        var values = labels.Values;
        var total = cumulative;
        expected.Add(expected.Name + "_count", labels, snapshot => CounterLike(snapshot.Find(expected.Name)!.Find(values)!.Histogram!.Sum) is null ? null : total);
        expected.Add(expected.Name + "_sum", labels, snapshot => CounterLike(snapshot.Find(expected.Name)!.Find(values)!.Histogram!.Sum));
        _nativeHistograms.Add(native);
    }

    private void AddSummary(string baseName, string help, FamilyOptions options)
    {
        var objectives = new Dictionary<double, double>();
        for (var i = _random.Next(4); i > 0; i--)
        {
            objectives[QuantileChoices[_random.Next(QuantileChoices.Length)]] = 0.001 * (1 + _random.Next(50));
        }

        var labelNames = LabelNames("quantile");
        var family = Registry.CreateSummaryFamily(baseName, help, labelNames, objectives.Count == 0 && _random.Next(2) == 0 ? null : new SummaryOptions { Objectives = objectives }, options);
        var expected = Family(baseName, "summary", help, options.Unit);
        foreach (var labels in LabelSets(labelNames))
        {
            var series = family.WithLabels(labels.Values);
            long count = 0;
            for (var i = _random.Next(12); i > 0; i--)
            {
                var value = Observation([-10, 0, 10]);
                series.Observe(value);
                count += double.IsNaN(value) ? 0 : 1;
            }

            var values = labels.Values;
            foreach (var quantile in objectives.Keys.Order())
            {
                // OpenMetrics forbids negative quantile values; NaN (an empty window) is allowed.
                expected.Add(
                    baseName,
                    labels.With("quantile", quantile),
                    snapshot => snapshot.Find(baseName)!.Find(values)!.Summary!.ValueOf(quantile) is var value && value < 0 ? null : value);
            }

            expected.Add(baseName + "_count", labels, count, null);
            expected.Add(baseName + "_sum", labels, snapshot => CounterLike(snapshot.Find(baseName)!.Find(values)!.Summary!.Sum));
        }
    }

    // The float sums and the quantile estimates are the library's to define: they come from the snapshot, and the
    // test checks that the exposition carries them exactly.
    private void CompleteFromSnapshot()
    {
        var snapshot = Registry.Collect();
        foreach (var family in _families)
        {
            family.Complete(snapshot);
        }
    }

    private static double? CounterLike(double sum) => sum >= 0 ? sum : null;

    private ExpectedFamily Family(string name, string type, string help, string? unit)
    {
        var family = new ExpectedFamily(name, type, help, unit);
        _families.Add(family);
        return family;
    }

    // Either form: the library appends _total where it is missing.
    private string CounterArgument(string baseName) => _random.Next(2) == 0 ? baseName : baseName + "_total";

    private string[] LabelNames(string? reserved)
    {
        var names = new List<string>();
        for (var i = _random.Next(4); i > 0; i--)
        {
            var name = _text.LabelName();
            if (name != reserved && !names.Contains(name))
            {
                names.Add(name);
            }
        }

        return [.. names];
    }

    private List<SampleLabels> LabelSets(string[] labelNames)
    {
        var sets = new List<SampleLabels>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = labelNames.Length == 0 ? 1 : 1 + _random.Next(4); i > 0; i--)
        {
            var values = labelNames.Select(_ => _text.Value()).ToArray();
            if (keys.Add(string.Concat(values.Select(value => value.Length.ToString(CultureInfo.InvariantCulture) + ":" + value))))
            {
                sets.Add(new SampleLabels(labelNames, values));
            }
        }

        return sets;
    }

    private (Exemplar Exemplar, Dictionary<string, string> Labels) RandomExemplar()
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var budget = Exemplar.MaxLabelSetLength;
        for (var i = 1 + _random.Next(3); i > 0; i--)
        {
            var name = _text.LabelName(12);
            if (labels.ContainsKey(name) || name.Length > budget)
            {
                continue;
            }

            // python3-prometheus-client 0.16 ends an exemplar's labels at the first '}' after them, even inside a
            // quoted value, which the OpenMetrics grammar allows; Prometheus itself parses it. Kept out so that
            // the reference parser can check everything else.
            var value = FirstScalars(_text.Value(), budget - name.Length).Replace('}', ')');
            labels[name] = value;
            budget -= name.Length + ScalarCount(value);
        }

        return (new Exemplar([.. labels]), labels);
    }

    private static string FirstScalars(string text, int count)
    {
        var result = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (count-- <= 0)
            {
                break;
            }

            result.Append(rune.ToString());
        }

        return result.ToString();
    }

    private static int ScalarCount(string text) => text.EnumerateRunes().Count();

    private double[] Bounds()
    {
        var bounds = new SortedSet<double>();
        var start = _random.Next(3) == 0 ? -_random.Next(1, 1000) * Math.Pow(10, _random.Next(-3, 4)) : 0;
        for (var i = 1 + _random.Next(12); i > 0; i--)
        {
            bounds.Add(_random.Next(4) switch
            {
                0 => start + _random.Next(0, 100),
                1 => start + (_random.NextDouble() * Math.Pow(10, _random.Next(-6, 7))),
                2 => Math.Pow(10, _random.Next(-9, 10)) * (_random.Next(2) == 0 ? 1 : 2.5),
                _ => start + (0.001 * _random.Next(1, 1000)),
            });
        }

        return [.. bounds];
    }

    private double Observation(IReadOnlyList<double> bounds) => _random.Next(10) switch
    {
        0 => bounds[_random.Next(bounds.Count)],
        1 => bounds[0] - 1,
        2 => bounds[^1] * 2 + 1,
        3 => _random.Next(3) switch { 0 => double.PositiveInfinity, 1 => double.NegativeInfinity, _ => double.NaN },
        4 => -0.0,
        _ => bounds[0] + (_random.NextDouble() * (bounds[^1] - bounds[0])),
    };

    private static int BucketOf(IReadOnlyList<double> bounds, double value)
    {
        for (var i = 0; i < bounds.Count; i++)
        {
            if (value <= bounds[i])
            {
                return i;
            }
        }

        return bounds.Count;
    }

    private double NonNegativeFinite() => _random.Next(6) switch
    {
        0 => 0,
        1 => double.Epsilon * _random.Next(1, 100),
        2 => _random.Next(0, 1000) / 10.0,
        3 => _random.NextDouble() * Math.Pow(10, _random.Next(-300, 300)),
        4 => 0.1,
        _ => _random.NextDouble(),
    };

    private double AnyDouble() => _random.Next(10) switch
    {
        0 => double.NaN,
        1 => double.PositiveInfinity,
        2 => double.NegativeInfinity,
        3 => -0.0,
        4 => double.MaxValue * (_random.Next(2) == 0 ? 1 : -1),
        5 => BitConverter.Int64BitsToDouble(_random.NextInt64()) is var bits && !double.IsNaN(bits) ? bits : 1,
        6 => _random.Next(-1000, 1000),
        _ => (_random.NextDouble() - 0.5) * Math.Pow(10, _random.Next(-320, 308)),
    };
}
