namespace Metrics.Testing;

/// <summary><c>promtool check metrics</c>, from Debian's <c>prometheus</c> package: the reference linter of the text format.</summary>
public static class Promtool
{
    /// <summary>Runs <c>promtool check metrics</c> on <paramref name="exposition"/>; skips (or fails on CI) where promtool is missing.</summary>
    public static ToolRun CheckMetrics(string exposition)
    {
        var path = RequiredTool.Find("promtool", "install Debian's 'prometheus' package (apt-get install -y prometheus)");
        return ToolRun.Start(path, ["check", "metrics"], exposition, TimeSpan.FromSeconds(60));
    }
}
