using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Interop.Tests;

/// <summary>
/// An external server the interop tests run against (Prometheus, the Pushgateway): started with its output captured,
/// waited for until its readiness URL answers 2xx, and killed with its temporary directory deleted on dispose, whatever
/// the test's outcome. Every wait is bounded: a server that exits or never gets ready fails the test with its log.
/// </summary>
internal sealed class ToolProcess : IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly string _name;
    private readonly Process _process;
    private readonly DirectoryInfo _directory;
    private readonly StringBuilder _log = new();

    private ToolProcess(string name, Process process, DirectoryInfo directory)
    {
        _name = name;
        _process = process;
        _directory = directory;
    }

    /// <summary>What the server wrote to stdout and stderr so far, for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>
    /// Starts <paramref name="path"/> with the arguments <paramref name="arguments"/> builds from its temporary
    /// directory (deleted on dispose), then waits up to <paramref name="readyTimeout"/> for <paramref name="ready"/>.
    /// </summary>
    public static async Task<ToolProcess> StartAsync(string name, string path, DirectoryInfo directory, IEnumerable<string> arguments, Uri ready, TimeSpan readyTimeout)
    {
        var info = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {path}.");
        var tool = new ToolProcess(name, process, directory);
        process.OutputDataReceived += (_, line) => tool.Append(line.Data);
        process.ErrorDataReceived += (_, line) => tool.Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await tool.WaitUntilReadyAsync(ready, readyTimeout);
            return tool;
        }
        catch
        {
            await tool.DisposeAsync();
            throw;
        }
    }

    /// <summary>A port the kernel just handed out on 127.0.0.1 and released; the server binds it a moment later.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(exit.Token);
            }
        }
        finally
        {
            _process.Dispose();
            _directory.Delete(recursive: true);
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    private async Task WaitUntilReadyAsync(Uri ready, TimeSpan timeout)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"{_name} exited with {_process.ExitCode} before it was ready.\n{Log}");
            }

            try
            {
                using var response = await client.GetAsync(ready);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(PollInterval);
        }

        Assert.Fail($"{_name} was not ready within {timeout.TotalSeconds} s.\n{Log}");
    }
}
