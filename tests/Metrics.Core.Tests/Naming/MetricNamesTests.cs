namespace Metrics.Tests.Naming;

public class MetricNamesTests
{
    [TestCase("http_requests")]
    [TestCase("_private")]
    [TestCase("job:http_requests:rate5m")]
    [TestCase("a1")]
    public void Valid_metric_names_are_accepted(string name) => new MetricRegistry().CreateGauge(name, "Help.").Family.Name.ShouldBe(name);

    [TestCase("")]
    [TestCase("1st")]
    [TestCase("http-requests")]
    [TestCase("http requests")]
    [TestCase("temp°c")]
    [TestCase("__reserved")]
    public void Invalid_metric_names_throw_naming_the_value_and_the_rule(string name)
    {
        var error = Should.Throw<ArgumentException>(() => new MetricRegistry().CreateGauge(name, "Help."));

        error.ParamName.ShouldBe("name");
        error.Message.ShouldStartWith($"Invalid metric name '{name}': metric names must match [a-zA-Z_:][a-zA-Z0-9_:]* and must not start with '__'.");
    }

    [TestCase("route")]
    [TestCase("_x")]
    [TestCase("status_2")]
    public void Valid_label_names_are_accepted(string label) =>
        new MetricRegistry().CreateGaugeFamily("g", "G.", [label]).LabelNames.ShouldBe([label]);

    [TestCase("")]
    [TestCase("2xx")]
    [TestCase("http:route")]
    [TestCase("model-name")]
    [TestCase("__name__")]
    public void Invalid_label_names_throw_naming_the_value_and_the_rule(string label)
    {
        var error = Should.Throw<ArgumentException>(() => new MetricRegistry().CreateGaugeFamily("g", "G.", [label]));

        error.ParamName.ShouldBe("labelNames");
        error.Message.ShouldStartWith($"Invalid label name '{label}': label names must match [a-zA-Z_][a-zA-Z0-9_]* and must not start with '__'.");
    }

    [Test]
    public void Le_is_reserved_on_histograms_only()
    {
        var error = Should.Throw<ArgumentException>(() => new MetricRegistry().CreateHistogramFamily("h", "H.", ["le"]));

        error.Message.ShouldStartWith("Invalid label name 'le': it is reserved for the bucket bounds of histograms.");
        new MetricRegistry().CreateGaugeFamily("g", "G.", ["le"]).LabelNames.ShouldBe(["le"]);
    }

    [Test]
    public void Duplicate_label_names_throw()
    {
        var error = Should.Throw<ArgumentException>(() => new MetricRegistry().CreateCounterFamily("c", "C.", ["a", "b", "a"]));

        error.Message.ShouldStartWith("Invalid label names: 'a' appears more than once; label names must be distinct.");
    }

    [TestCase("gpt-4o/mini:2024", "gpt_4o_mini_2024")]
    [TestCase("claude-sonnet-4.5", "claude_sonnet_4_5")]
    [TestCase("4o", "_4o")]
    [TestCase("__internal", "_internal")]
    [TestCase("--x", "_x")]
    [TestCase("", "_")]
    [TestCase("modèle 🚀", "mod_le___")]
    [TestCase("already_valid", "already_valid")]
    public void Sanitize_turns_arbitrary_text_into_a_valid_name(string text, string expected)
    {
        var sanitized = MetricNames.Sanitize(text);

        sanitized.ShouldBe(expected);
        MetricNames.IsValidLabelName(sanitized).ShouldBeTrue();
        MetricNames.IsValidMetricName(sanitized).ShouldBeTrue();
    }

    [Test]
    public void Sanitize_returns_the_cached_instance_for_a_repeated_input()
    {
        var first = MetricNames.Sanitize("cached-model-name");

        MetricNames.Sanitize("cached-model-name").ShouldBeSameAs(first);
    }
}
