using Metrics;

namespace Interop.Tests.RandomInput;

/// <summary>
/// Random invalid names, of metrics, labels, units and exemplar labels, must all be refused at registration with an
/// <see cref="ArgumentException"/> that names the bad value and the rule, by every factory, and leave nothing behind:
/// the registry stays empty and so does its exposition. The seed is printed, as for <see cref="RandomExpositionTests"/>.
/// </summary>
public sealed class RandomInvalidNameTests
{
    private const int Rounds = 1_000;

    [Test]
    public void Random_invalid_names_are_refused_by_every_factory_and_never_reach_the_output()
    {
        var seed = Random.Shared.Next();
        TestContext.Out.WriteLine($"seed {seed}");
        var random = new Random(seed);
        var text = new RandomText(random);
        var registry = new MetricRegistry();
        for (var round = 0; round < Rounds; round++)
        {
            var name = text.InvalidMetricName();
            foreach (var (factory, register) in MetricFactories(registry, name))
            {
                ShouldRefuse(register, name, MetricNames.MetricNameRule, $"{factory}(\"{name}\") with seed {seed}");
            }

            var label = text.InvalidLabelName();
            foreach (var (factory, register) in LabelFactories(registry, "valid_" + round, label))
            {
                ShouldRefuse(register, label, MetricNames.LabelNameRule, $"{factory} with label \"{label}\" and seed {seed}");
            }

            ShouldRefuse(() => _ = new Exemplar(label, "value"), label, MetricNames.LabelNameRule, $"exemplar label \"{label}\" with seed {seed}");
        }

        registry.Families.ShouldBeEmpty();
        Exposition(registry, ExpositionFormat.PrometheusText).ShouldBe("");
        Exposition(registry, ExpositionFormat.OpenMetrics).ShouldBe("# EOF\n");
    }

    [Test]
    public void Reserved_duplicate_and_mismatched_names_are_refused_and_never_reach_the_output()
    {
        var registry = new MetricRegistry();

        Should.Throw<ArgumentException>(() => registry.CreateHistogramFamily("latency_seconds", "Latency.", ["le"])).Message.ShouldContain("'le'");
        Should.Throw<ArgumentException>(() => registry.CreateSummaryFamily("latency_seconds", "Latency.", ["quantile"])).Message.ShouldContain("'quantile'");
        Should.Throw<ArgumentException>(() => registry.CreateGaugeFamily("queue_depth", "Depth.", ["queue", "queue"])).Message.ShouldContain("'queue'");
        Should.Throw<ArgumentException>(() => registry.CreateGauge("queue_depth", "Depth.", new FamilyOptions { Unit = "seconds" })).Message.ShouldContain("'seconds'");
        Should.Throw<ArgumentException>(() => registry.CreateCounter("", "Empty.")).Message.ShouldContain(MetricNames.MetricNameRule);

        registry.Families.ShouldBeEmpty();
        Exposition(registry, ExpositionFormat.PrometheusText).ShouldBe("");
        Exposition(registry, ExpositionFormat.OpenMetrics).ShouldBe("# EOF\n");
    }

    private static (string Factory, Action Register)[] MetricFactories(MetricRegistry registry, string name) =>
    [
        ("CreateCounter", () => registry.CreateCounter(name, "Help.")),
        ("CreateCounterFamily", () => registry.CreateCounterFamily(name, "Help.", ["a"])),
        ("CreateDoubleCounter", () => registry.CreateDoubleCounter(name, "Help.")),
        ("CreateGauge", () => registry.CreateGauge(name, "Help.")),
        ("CreateGaugeFamily", () => registry.CreateGaugeFamily(name, "Help.", ["a"])),
        ("CreateCallbackGauge", () => registry.CreateCallbackGauge(name, "Help.", static () => 1)),
        ("CreateCallbackCounter", () => registry.CreateCallbackCounter(name, "Help.", static () => 1)),
        ("CreateHistogram", () => registry.CreateHistogram(name, "Help.")),
        ("CreateSummary", () => registry.CreateSummary(name, "Help.")),
    ];

    private static (string Factory, Action Register)[] LabelFactories(MetricRegistry registry, string name, string label) =>
    [
        ("CreateCounterFamily", () => registry.CreateCounterFamily(name, "Help.", ["ok", label])),
        ("CreateDoubleCounterFamily", () => registry.CreateDoubleCounterFamily(name, "Help.", [label])),
        ("CreateGaugeFamily", () => registry.CreateGaugeFamily(name, "Help.", [label])),
        ("CreateHistogramFamily", () => registry.CreateHistogramFamily(name, "Help.", [label])),
        ("CreateSummaryFamily", () => registry.CreateSummaryFamily(name, "Help.", [label])),
    ];

    private static void ShouldRefuse(Action register, string value, string rule, string what)
    {
        var exception = Should.Throw<ArgumentException>(register, what);
        exception.Message.ShouldContain($"'{value}'", Case.Sensitive, what);
        exception.Message.ShouldContain(rule, Case.Sensitive, what);
    }

    private static string Exposition(MetricRegistry registry, ExpositionFormat format)
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        MetricsExposition.Write(registry, format, output);
        return System.Text.Encoding.UTF8.GetString(output.WrittenSpan);
    }
}
