using NUnit.Framework;

namespace Metrics.Testing;

/// <summary>
/// Finds an external verification tool. Where it is missing the calling test is skipped with the reason, except
/// when <c>CI=true</c>: CI installs every tool, so a missing one there is a failure, never a silent skip.
/// </summary>
public static class RequiredTool
{
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The full path of <paramref name="fileName"/>, searched at <paramref name="fixedPath"/> and then on PATH.</summary>
    public static string Find(string fileName, string installHint, string? fixedPath = null)
    {
        var path = fixedPath is not null && File.Exists(fixedPath) ? fixedPath : SearchPath(fileName);
        if (path is not null)
        {
            return path;
        }

        var reason = $"'{fileName}' was not found; {installHint}.";
        if (IsCi)
        {
            Assert.Fail($"{reason} CI=true, so a missing tool fails the test instead of skipping it.");
        }

        Assert.Ignore(reason);
        throw new InvalidOperationException("unreachable");
    }

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
