using System.ComponentModel;
using System.Diagnostics;

namespace Metrics;

/// <summary>
/// Process figures where <c>/proc</c> is missing (Windows, macOS): only those that a cheap, portable call gives.
/// CPU time, resident memory and start time. Thread, descriptor and virtual-memory counts would need
/// <see cref="Process"/> to snapshot every process on Windows, the slow path this collector exists to avoid.
/// </summary>
internal sealed class PortableProcessStatistics : ProcessStatistics
{
#if !NET9_0_OR_GREATER
    private static readonly Process CurrentProcess = Process.GetCurrentProcess();
#endif

    private readonly double _startTimeSeconds = ReadStartTimeSeconds();

    public override bool Offers(ProcessStatistic statistic) => statistic switch
    {
        ProcessStatistic.CpuSeconds or ProcessStatistic.ResidentMemoryBytes => true,
        ProcessStatistic.StartTimeSeconds => !double.IsNaN(_startTimeSeconds),
        _ => false,
    };

    public override void Refresh()
    {
        Store(ProcessStatistic.StartTimeSeconds, _startTimeSeconds);
        // Environment.WorkingSet asks the operating system for this process alone.
        Store(ProcessStatistic.ResidentMemoryBytes, Environment.WorkingSet);
        Store(ProcessStatistic.CpuSeconds, ReadCpuSeconds());
    }

    private static double ReadCpuSeconds()
    {
        try
        {
#if NET9_0_OR_GREATER
            return Environment.CpuUsage.TotalTime.TotalSeconds;
#else
            // Outside Windows' process snapshot path: one GetProcessTimes or proc_pid_rusage call.
            return CurrentProcess.TotalProcessorTime.TotalSeconds;
#endif
        }
        catch (Exception exception) when (IsUnsupported(exception))
        {
            return double.NaN;
        }
    }

    private static double ReadStartTimeSeconds()
    {
        try
        {
            using var process = Process.GetCurrentProcess();
            return new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0;
        }
        catch (Exception exception) when (IsUnsupported(exception))
        {
            return double.NaN;
        }
    }

    private static bool IsUnsupported(Exception exception) =>
        exception is PlatformNotSupportedException or NotSupportedException or InvalidOperationException or Win32Exception;
}
