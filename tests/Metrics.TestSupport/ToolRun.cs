using System.Diagnostics;

namespace Metrics.Testing;

/// <summary>The outcome of running an external tool to completion.</summary>
public sealed record ToolRun(int ExitCode, string StandardOutput, string StandardError)
{
    public string Output => StandardOutput + StandardError;

    /// <summary>
    /// Runs <paramref name="path"/> with <paramref name="arguments"/>, feeding <paramref name="input"/> on standard input.
    /// A tool that exits without reading all its input (one that fails at start) is reported by its exit code and
    /// standard error, not by the broken pipe the rest of the input would hit.
    /// </summary>
    public static ToolRun Start(string path, IEnumerable<string> arguments, string input, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new System.Text.UTF8Encoding(false),
            StandardOutputEncoding = System.Text.Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {path}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var stdin = FeedAsync(process.StandardInput, input);
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{path} did not finish within {timeout}.");
        }

        stdin.GetAwaiter().GetResult();
        return new ToolRun(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    private static async Task FeedAsync(StreamWriter standardInput, string input)
    {
        try
        {
            await standardInput.WriteAsync(input);
            standardInput.Close();
        }
        catch (IOException)
        {
            // The tool closed its input early; its exit code and standard error say why.
        }
    }
}
