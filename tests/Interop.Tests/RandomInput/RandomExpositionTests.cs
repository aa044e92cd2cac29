using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Metrics;
using Metrics.Testing;

namespace Interop.Tests.RandomInput;

/// <summary>
/// Property tests on random registries: at least 1,000 per run, of every metric type, with names, help texts and
/// label values from all of Unicode, checked in batches by promtool (text format) and by the strict OpenMetrics
/// parser, which must also read back every value, label and exemplar exactly. Each run draws a new seed and prints
/// it; set <c>METRICS_PROPERTY_SEED</c> to replay a run. A failure names the seed and index of each failing registry;
/// add that pair to <see cref="RegressionCases"/> so it is checked on every run.
/// </summary>
[Parallelizable(ParallelScope.Children)]
public sealed class RandomExpositionTests
{
    private const int RegistryCount = 1_000;
    private const int BatchSize = 250;
    private const string SeedVariable = "METRICS_PROPERTY_SEED";

    /// <summary>Registries (seed, index) that once failed, kept so that the fix stays proven.</summary>
    public static IEnumerable<TestCaseData> RegressionCases { get; } =
    [
        // Run 1104283802: a summary observed +Inf and -Inf, and OpenMetrics carried its NaN _sum.
        new TestCaseData(917535341, 1).SetName("Registry_917535341_1_summary_with_a_NaN_sum_leaves_it_out_of_openmetrics"),
        // Run 1104283802: a summary of negative observations, and OpenMetrics carried its negative _sum and quantiles.
        new TestCaseData(955516872, 2).SetName("Registry_955516872_2_summary_of_negative_observations_leaves_out_its_sum_and_negative_quantiles"),
        // Run 1687927548: a gauge family with a label named le, which promtool lints and Prometheus accepts.
        new TestCaseData(616098202, 696).SetName("Registry_616098202_696_gauge_with_a_label_named_le_passes_promtool_but_for_that_advice"),
    ];

    private static readonly Lazy<int> RunSeed = new(() =>
        int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) ? seed : Random.Shared.Next());

    // promtool's style advice on the names and help texts, which are the user's valid choices: the only findings allowed.
    private static readonly string[] NameStyleLints =
    [
        " metric names should be written in 'snake_case' not 'camelCase'",
        " label names should be written in 'snake_case' not 'camelCase'",
        " metric names should not contain ':'",
        " metric names should not contain abbreviated units",
        " no help text",
        // A label named le on a counter or gauge is the user's choice, which Prometheus ingests; promtool advises against it.
        " non-histogram metrics should not have \"le\" label",
    ];

    [Test]
    public void Random_registries_in_the_text_format_pass_promtool()
    {
        foreach (var batch in Batches())
        {
            var run = Promtool.CheckMetrics(string.Concat(batch.Select(registry => registry.Exposition(ExpositionFormat.PrometheusText))));
            if (!PassesPromtool(run))
            {
                var failing = batch.Where(registry => !PassesPromtool(Promtool.CheckMetrics(registry.Exposition(ExpositionFormat.PrometheusText))));
                Assert.Fail($"promtool rejected a batch ({run.ExitCode}): {string.Join('\n', Findings(run).Where(line => !IsNameStyleLint(line)).Take(20))}\n{Describe(failing, ExpositionFormat.PrometheusText)}");
            }
        }
    }

    // Exit code 3 means lint findings only; 1 is a parse error.
    private static bool PassesPromtool(ToolRun run) =>
        (run.ExitCode == 0 && run.Output.Length == 0) || (run.ExitCode == 3 && Findings(run).All(IsNameStyleLint));

    private static string[] Findings(ToolRun run) => run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static bool IsNameStyleLint(string line) => NameStyleLints.Any(lint => line.EndsWith(lint, StringComparison.Ordinal));

    [Test]
    public void Random_registries_in_openmetrics_parse_back_exactly_through_the_strict_parser()
    {
        foreach (var batch in Batches())
        {
            var problems = OpenMetricsProblems(batch);
            if (problems.Count > 0)
            {
                Assert.Fail(string.Join("\n", problems.Take(20)));
            }
        }
    }

    [Test]
    public void Random_registries_in_protobuf_decode_back_exactly_through_an_independent_decoder()
    {
        foreach (var batch in Batches())
        {
            var stream = new ArrayBufferWriter<byte>();
            foreach (var registry in batch)
            {
                MetricsExposition.Write(registry.Registry, ExpositionFormat.Protobuf, stream);
            }

            using var decoded = ClientModelDecoder.Decode(stream.WrittenSpan);
            var root = decoded.RootElement;
            root.GetProperty("ok").GetBoolean().ShouldBeTrue(root.TryGetProperty("error", out var error) ? error.GetString() : null);
            var index = new ProtobufSampleIndex(root.GetProperty("families"));
            var problems = new List<string>();
            foreach (var registry in batch)
            {
                problems.AddRange(ProtobufProblems(registry, index).Select(problem => $"{Identify(registry)}: {problem}"));
            }

            index.FamilyCount.ShouldBe(batch.Sum(registry => registry.Families.Count));
            if (problems.Count > 0)
            {
                Assert.Fail(string.Join("\n", problems.Take(20)));
            }
        }
    }

    private static IEnumerable<string> ProtobufProblems(RandomRegistry registry, ProtobufSampleIndex index)
    {
        var native = registry.NativeHistograms.Select(histogram => histogram.FamilyName).ToHashSet(StringComparer.Ordinal);
        foreach (var sample in registry.Families.SelectMany(family => family.Samples))
        {
            // A native histogram's protobuf sum is the native engine's, added in its own order; checked below.
            if (sample.Name.EndsWith("_sum", StringComparison.Ordinal) && native.Contains(sample.Name[..^"_sum".Length]))
            {
                continue;
            }

            if (!index.TryGet(sample.Name, sample.Labels, out var value, out var exemplar))
            {
                yield return $"{sample.Name}{sample.Labels} is missing";
            }
            else if (!SameValue(value, sample.Value))
            {
                yield return $"{sample.Name}{sample.Labels} is {Show(value)} instead of {Show(sample.Value)}";
            }
            else if (ProtobufExemplarProblem(sample, exemplar) is { } problem)
            {
                yield return problem;
            }
        }

        foreach (var expected in registry.NativeHistograms)
        {
            if (!index.TryGetHistogram(expected.FamilyName, expected.Labels, out var histogram))
            {
                yield return $"native histogram {expected.FamilyName}{expected.Labels} is missing";
                continue;
            }

            var actual = (
                histogram.GetProperty("schema").GetInt32(),
                histogram.GetProperty("sample_count").GetInt64(),
                histogram.GetProperty("zero_count").GetInt64(),
                Buckets(histogram, "positive"),
                Buckets(histogram, "negative"));
            var wanted = (expected.Schema, expected.Count, expected.ZeroCount, Occupied(expected.Positive), Occupied(expected.Negative));
            if (actual.Item1 != wanted.Schema || actual.Item2 != wanted.Count || actual.Item3 != wanted.ZeroCount || actual.Item4 != wanted.Item4 || actual.Item5 != wanted.Item5)
            {
                yield return $"native histogram {expected.FamilyName}{expected.Labels} is {actual} instead of {wanted}";
            }

            var sum = ClientModelDecoder.DoubleOf(histogram.GetProperty("sample_sum"));
            if (Math.Abs(sum - expected.Sum) > 1e-12 * expected.Magnitude)
            {
                yield return $"native histogram {expected.FamilyName}{expected.Labels} sums to {Show(sum)} instead of {Show(expected.Sum)}";
            }
        }
    }

    private static string? ProtobufExemplarProblem(ExpectedSample expected, JsonElement? exemplar)
    {
        if (expected.Exemplar is null)
        {
            return exemplar is null ? null : $"{expected.Name}{expected.Labels} has exemplar {exemplar} where none was recorded";
        }

        if (exemplar is not { } found)
        {
            return $"{expected.Name}{expected.Labels} lost its exemplar";
        }

        var labels = found.GetProperty("label").EnumerateArray().ToDictionary(
            label => label.TryGetProperty("name", out var name) ? name.GetString()! : "",
            label => label.TryGetProperty("value", out var value) ? value.GetString() : "",
            StringComparer.Ordinal);
        var same = labels.Count == expected.Exemplar.Labels.Count
            && expected.Exemplar.Labels.All(label => labels.TryGetValue(label.Key, out var value) && value == label.Value)
            && SameValue(ClientModelDecoder.DoubleOf(found.GetProperty("value")), expected.Exemplar.Value);
        return same ? null : $"{expected.Name}{expected.Labels} has exemplar {found} instead of {JsonSerializer.Serialize(expected.Exemplar)}";
    }

    // Buckets with observations, as "index:count" in index order, rebuilt from the spans and deltas as Prometheus reads them.
    private static string Buckets(JsonElement histogram, string sign)
    {
        if (!histogram.TryGetProperty(sign + "_span", out var spans))
        {
            return "";
        }

        var deltas = histogram.TryGetProperty(sign + "_delta", out var d) ? d.EnumerateArray().Select(delta => delta.GetInt64()).ToArray() : [];
        var buckets = new List<string>();
        int index = 0, position = 0;
        long count = 0;
        foreach (var span in spans.EnumerateArray())
        {
            index += span.TryGetProperty("offset", out var offset) ? offset.GetInt32() : 0;
            var length = span.TryGetProperty("length", out var l) ? l.GetInt32() : 0;
            for (var i = 0; i < length; i++, index++)
            {
                count += deltas[position++];
                if (count != 0)
                {
                    buckets.Add($"{index}:{count}");
                }
            }
        }

        return string.Join(",", buckets);
    }

    private static string Occupied(SortedDictionary<int, long> buckets) => string.Join(",", buckets.Select(bucket => $"{bucket.Key}:{bucket.Value}"));

    [TestCaseSource(nameof(RegressionCases))]
    public void Registry_that_once_failed_passes_promtool_and_parses_back_exactly(int seed, int index)
    {
        var registry = RandomRegistry.Create(seed, index);

        var promtool = Promtool.CheckMetrics(registry.Exposition(ExpositionFormat.PrometheusText));
        PassesPromtool(promtool).ShouldBeTrue(promtool.Output);
        OpenMetricsProblems([registry]).ShouldBeEmpty();
    }

    private static List<string> OpenMetricsProblems(IReadOnlyList<RandomRegistry> batch)
    {
        var exposition = new StringBuilder();
        foreach (var registry in batch)
        {
            var text = registry.Exposition(ExpositionFormat.OpenMetrics);
            text.ShouldEndWith("# EOF\n");
            exposition.Append(text, 0, text.Length - "# EOF\n".Length);
        }

        exposition.Append("# EOF\n");
        using var parsed = OpenMetricsParser.Parse(exposition.ToString());
        var root = parsed.RootElement;
        if (!root.GetProperty("ok").GetBoolean())
        {
            var failing = batch.Where(registry => !IsParsed(registry));
            return [$"The OpenMetrics parser rejected a batch: {root.GetProperty("error")}\n{Describe(failing, ExpositionFormat.OpenMetrics)}"];
        }

        var families = root.GetProperty("families").EnumerateArray().ToDictionary(family => family.GetProperty("name").GetString()!, StringComparer.Ordinal);
        var problems = new List<string>();
        var expectedCount = 0;
        foreach (var registry in batch)
        {
            foreach (var expected in registry.Families)
            {
                expectedCount++;
                var found = families.TryGetValue(expected.Name, out var family)
                    ? FamilyProblems(expected, family)
                    : [$"family {expected.Name} is missing"];
                problems.AddRange(found.Select(problem => $"{Identify(registry)}: {problem}"));
            }
        }

        if (families.Count != expectedCount)
        {
            problems.Add($"The parser read {families.Count} families where {expectedCount} were registered.");
        }

        return problems;
    }

    private static IEnumerable<string> FamilyProblems(ExpectedFamily expected, JsonElement family)
    {
        if (family.GetProperty("type").GetString() != expected.Type)
        {
            yield return $"{expected.Name}: type {family.GetProperty("type")} instead of {expected.Type}";
        }

        if (family.GetProperty("help").GetString() != expected.Help)
        {
            yield return $"{expected.Name}: help {family.GetProperty("help")} instead of {JsonSerializer.Serialize(expected.Help)}";
        }

        if (family.GetProperty("unit").GetString() != (expected.Unit ?? ""))
        {
            yield return $"{expected.Name}: unit {family.GetProperty("unit")} instead of {expected.Unit}";
        }

        var samples = family.GetProperty("samples").EnumerateArray().Where(sample => !IsCreated(sample, expected)).ToArray();
        if (samples.Length != expected.Samples.Count)
        {
            yield return $"{expected.Name}: {samples.Length} samples instead of {expected.Samples.Count}: {family.GetProperty("samples")}";
            yield break;
        }

        for (var i = 0; i < samples.Length; i++)
        {
            if (SampleProblem(expected.Samples[i], samples[i]) is { } problem)
            {
                yield return $"{expected.Name}: sample {i}: {problem}";
            }
        }
    }

    // _created is the registration time, the one value not known in advance: it only has to be a plausible time.
    private static bool IsCreated(JsonElement sample, ExpectedFamily family)
    {
        if (sample.GetProperty("name").GetString() != family.Name + "_created")
        {
            return false;
        }

        var value = sample.GetProperty("value").GetDouble();
        (Math.Abs(value - (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0)) < 3600).ShouldBeTrue($"{family.Name}_created is {value}");
        return true;
    }

    private static string? SampleProblem(ExpectedSample expected, JsonElement sample)
    {
        var name = sample.GetProperty("name").GetString();
        if (name != expected.Name)
        {
            return $"name {name} instead of {expected.Name}";
        }

        var labels = sample.GetProperty("labels");
        var count = labels.EnumerateObject().Count();
        if (count != expected.Labels.Count)
        {
            return $"labels {labels} instead of {expected.Labels}";
        }

        for (var i = 0; i < expected.Labels.Names.Length; i++)
        {
            if (!labels.TryGetProperty(expected.Labels.Names[i], out var value) || value.GetString() != expected.Labels.Values[i])
            {
                return $"labels {labels} instead of {expected.Labels}";
            }
        }

        if (expected.Labels.Bound is { } bound
            && !(labels.TryGetProperty(bound.Name, out var text) && IsCanonical(text.GetString()!) && SameValue(ParseNumber(text.GetString()!), bound.Value)))
        {
            return $"labels {labels} instead of {expected.Labels}";
        }

        var parsedValue = sample.GetProperty("value");
        if (!Matches(parsedValue, expected.Value))
        {
            return $"{expected.Name}{expected.Labels} is {Show(Number(parsedValue))} instead of {Show(expected.Value)}";
        }

        return ExemplarProblem(expected, sample.GetProperty("exemplar"));
    }

    private static string? ExemplarProblem(ExpectedSample expected, JsonElement exemplar)
    {
        if (expected.Exemplar is null)
        {
            return exemplar.ValueKind == JsonValueKind.Null ? null : $"{expected.Name}{expected.Labels} has exemplar {exemplar} where none was recorded";
        }

        if (exemplar.ValueKind == JsonValueKind.Null)
        {
            return $"{expected.Name}{expected.Labels} lost its exemplar";
        }

        var labels = exemplar.GetProperty("labels").EnumerateObject().ToDictionary(label => label.Name, label => label.Value.GetString(), StringComparer.Ordinal);
        var same = labels.Count == expected.Exemplar.Labels.Count
            && expected.Exemplar.Labels.All(label => labels.TryGetValue(label.Key, out var value) && value == label.Value)
            && Matches(exemplar.GetProperty("value"), expected.Exemplar.Value);
        return same ? null : $"{expected.Name}{expected.Labels} has exemplar {exemplar} instead of {JsonSerializer.Serialize(expected.Exemplar)}";
    }

    // OpenMetrics' canonical numbers for le and quantile: a point or an exponent, or ±Inf.
    private static bool IsCanonical(string text) =>
        text is "+Inf" or "-Inf" || text.Contains('.', StringComparison.Ordinal) || text.Contains('e', StringComparison.Ordinal);

    // The parser reads an integer literal as a Python int, so "-0" comes back as 0: for integers, the sign of zero
    // is the one thing it cannot carry. Every other value must come back with the same bits.
    private static bool Matches(JsonElement parsed, double expected) =>
        parsed.ValueKind == JsonValueKind.Number && parsed.GetRawText().All(char.IsAsciiDigit)
            ? Number(parsed) == expected
            : SameValue(Number(parsed), expected);

    // Exact: the same bits, so -0 differs from 0, and any NaN equals any NaN.
    private static bool SameValue(double actual, double expected) =>
        (double.IsNaN(actual) && double.IsNaN(expected)) || BitConverter.DoubleToInt64Bits(actual) == BitConverter.DoubleToInt64Bits(expected);

    private static double Number(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number ? value.GetDouble() : ParseNumber(value.GetString()!);

    private static double ParseNumber(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    private static string Show(double value) => value.ToString("R", CultureInfo.InvariantCulture) + (BitConverter.DoubleToInt64Bits(value) == BitConverter.DoubleToInt64Bits(-0.0) ? " (negative zero)" : "");

    private static bool IsParsed(RandomRegistry registry)
    {
        using var alone = OpenMetricsParser.Parse(registry.Exposition(ExpositionFormat.OpenMetrics));
        return alone.RootElement.GetProperty("ok").GetBoolean();
    }

    private static IEnumerable<IReadOnlyList<RandomRegistry>> Batches()
    {
        var seed = RunSeed.Value;
        TestContext.Out.WriteLine($"{SeedVariable}={seed} ({RegistryCount} registries)");
        var seeds = new Random(seed);
        for (var start = 0; start < RegistryCount; start += BatchSize)
        {
            var batch = new List<RandomRegistry>(BatchSize);
            for (var index = start; index < start + BatchSize; index++)
            {
                batch.Add(RandomRegistry.Create(seeds.Next(), index));
            }

            yield return batch;
        }
    }

    private static string Identify(RandomRegistry registry) =>
        $"registry (seed {registry.Seed}, index {registry.Index}) of run {SeedVariable}={RunSeed.Value}";

    private static string Describe(IEnumerable<RandomRegistry> failing, ExpositionFormat format) =>
        string.Join("\n", failing.Take(3).Select(registry => $"{Identify(registry)}:\n{Truncate(registry.Exposition(format))}"));

    private static string Truncate(string text) => text.Length <= 4000 ? text : text[..4000] + "…";
}
