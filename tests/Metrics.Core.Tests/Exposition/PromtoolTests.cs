using Metrics.Testing;

namespace Metrics.Tests.Exposition;

public class PromtoolTests
{
    [Test]
    public void Promtool_accepts_every_type_and_every_tricky_label_value_without_lint_errors()
    {
        var output = ExpositionText.Of(EveryTypeRegistry.Create());

        var result = Promtool.CheckMetrics(output);

        result.Output.ShouldBeEmpty();
        result.ExitCode.ShouldBe(0);
    }

    [Test]
    public void Promtool_reports_lint_problems_it_is_shown()
    {
        // Proves the check can fail: a counter whose samples lack _total is a lint error for promtool.
        var result = Promtool.CheckMetrics("# HELP bad Bad.\n# TYPE bad counter\nbad 1\n");

        result.ExitCode.ShouldNotBe(0);
        result.Output.ShouldContain("counter metrics should have \"_total\" suffix");
    }
}
