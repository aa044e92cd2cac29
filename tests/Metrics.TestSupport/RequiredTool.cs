using NUnit.Framework;

namespace Metrics.Testing;

/// <summary>
/// Finds an external verification tool. Where it is missing the calling test is skipped with a reason that names the
/// Debian package to install, except when <c>CI=true</c>: CI installs every tool, so a missing one there is a failure,
/// never a silent skip.
/// </summary>
/// <remarks>
/// <c>METRICS_TOOL_&lt;NAME&gt;</c> (the tool's name in capitals, other characters as <c>_</c>, such as
/// <c>METRICS_TOOL_PROMTOOL</c> or <c>METRICS_TOOL_PYTHON3</c>) replaces the search with that path; a path that does
/// not exist makes the tool missing. That is how a fresh machine is reproduced on one that has the tools.
/// </remarks>
public static class RequiredTool
{
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The full path of <paramref name="fileName"/>: the override's, else <paramref name="fixedPath"/> if it exists, else
    /// the first on PATH. Skips (or on CI fails) the test when there is none.
    /// </summary>
    public static string Find(string fileName, string installHint, string? fixedPath = null)
    {
        var path = Locate(fileName, fixedPath);
        if (path is null)
        {
            Missing($"'{fileName}' was not found; {installHint}.");
        }

        return path!;
    }

    /// <summary>The path of <paramref name="fileName"/> as <see cref="Find"/> would find it, or null; never skips.</summary>
    public static string? Locate(string fileName, string? fixedPath = null)
    {
        if (Environment.GetEnvironmentVariable(OverrideVariable(fileName)) is { Length: > 0 } replaced)
        {
            return File.Exists(replaced) ? replaced : null;
        }

        return fixedPath is not null && File.Exists(fixedPath) ? fixedPath : SearchPath(fileName);
    }

    /// <summary>Skips the calling test with <paramref name="reason"/>, or fails it when <c>CI=true</c>.</summary>
    public static void Missing(string reason)
    {
        if (IsCi)
        {
            Assert.Fail($"{reason} CI=true, so a missing tool fails the test instead of skipping it.");
        }

        Assert.Ignore(reason);
    }

    /// <summary>The environment variable that overrides where <paramref name="fileName"/> is found.</summary>
    public static string OverrideVariable(string fileName) =>
        "METRICS_TOOL_" + string.Concat(fileName.Select(static c => char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_'));

    private static string? SearchPath(string fileName)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, fileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
