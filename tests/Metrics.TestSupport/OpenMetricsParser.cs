using System.Text.Json;

namespace Metrics.Testing;

/// <summary>
/// The strict OpenMetrics parser of Debian's <c>python3-prometheus-client</c>, run with <c>/usr/bin/python3</c>.
/// It returns what it parsed as JSON, so tests can compare values as well as validity.
/// </summary>
public static class OpenMetricsParser
{
    private const string Script = """
        import json, math, sys
        from prometheus_client.openmetrics.parser import text_string_to_metric_families
        def number(v):
            if math.isnan(v): return "NaN"
            if math.isinf(v): return "+Inf" if v > 0 else "-Inf"
            return v
        def stamp(t):
            # "1704164645.5" parses to a Timestamp(sec, nsec) object, which json cannot write.
            return None if t is None else float(t)
        text = sys.stdin.buffer.read().decode("utf-8")
        try:
            families = []
            for f in text_string_to_metric_families(text):
                samples = []
                for s in f.samples:
                    e = None
                    if s.exemplar is not None:
                        e = {"labels": s.exemplar.labels, "value": number(s.exemplar.value), "timestamp": stamp(s.exemplar.timestamp)}
                    samples.append({"name": s.name, "labels": s.labels, "value": number(s.value), "exemplar": e})
                families.append({"name": f.name, "type": f.type, "help": f.documentation, "unit": f.unit, "samples": samples})
            print(json.dumps({"ok": True, "families": families}))
        except Exception as ex:
            print(json.dumps({"ok": False, "error": repr(ex)}))
        """;

    private const string Package = "python3-prometheus-client";

    private const string DebianPython = "/usr/bin/python3";

    // Asked once per test run: whether the Python found has the parser. A Python without it fails at its first line,
    // before reading any input.
    private static readonly Lazy<bool> PythonHasParser = new(static () =>
        ToolRun.Start(PythonPath()!, ["-c", "import prometheus_client.openmetrics.parser"], "", TimeSpan.FromSeconds(60)).ExitCode == 0);

    /// <summary>
    /// Parses <paramref name="exposition"/>; the result's <c>ok</c> says whether the parser accepted it. Skips the test,
    /// naming the Debian package, where <c>/usr/bin/python3</c> or its <c>prometheus_client</c> module is missing
    /// (fails instead when <c>CI=true</c>).
    /// </summary>
    public static JsonDocument Parse(string exposition)
    {
        var python = RequiredTool.Find(
            "python3",
            $"install Debian's '{Package}' package, which brings Python and the parser (apt-get install -y {Package})",
            fixedPath: DebianPython);
        if (!PythonHasParser.Value)
        {
            RequiredTool.Missing(
                $"{python} has no prometheus_client module; install Debian's '{Package}' package (apt-get install -y {Package}), which /usr/bin/python3 sees.");
        }

        var run = ToolRun.Start(python, ["-c", Script], exposition, TimeSpan.FromSeconds(60));
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"The OpenMetrics parser crashed ({run.ExitCode}): {run.StandardError}");
        }

        return JsonDocument.Parse(run.StandardOutput);
    }

    private static string? PythonPath() => RequiredTool.Locate("python3", DebianPython);
}
