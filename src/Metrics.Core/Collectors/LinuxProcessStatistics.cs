namespace Metrics;

/// <summary>
/// Process figures read straight from <c>/proc/self</c>, as client_golang reads them: one read of <c>stat</c> gives
/// CPU time, threads and memory, <c>limits</c> the descriptor limit, <c>io</c> the byte totals, and
/// <see cref="OpenFileDescriptors"/> the open descriptors. Never <see cref="System.Diagnostics.Process"/>, whose refresh parses far more
/// than this and is a known cause of slow scrapes.
/// </summary>
internal sealed class LinuxProcessStatistics : ProcessStatistics
{
    // The unit of the CPU times in stat: USER_HZ is 100 in the user-space ABI of every Linux architecture, whatever
    // the kernel's own tick rate; client_golang relies on the same constant.
    private const double TicksPerSecond = 100;

    // A stat line is at most about 52 numbers and a 16-byte command name; limits is about 1.4 KB, io about 100 bytes.
    private const int StatBufferLength = 2048;
    private const int LimitsBufferLength = 2048;
    private const int IoBufferLength = 512;

    // Opened once per process and shared by every registry's collector; reads at offset 0 are safe in parallel.
    private static readonly ProcFile? Stat = ProcFile.TryOpen("/proc/self/stat");
    private static readonly ProcFile? Limits = ProcFile.TryOpen("/proc/self/limits");
    private static readonly ProcFile? Io = ProcFile.TryOpen("/proc/self/io");

    private readonly double _startTimeSeconds;
    private readonly bool _countsDescriptors;
    private readonly double _pageSize = Environment.SystemPageSize;

    private LinuxProcessStatistics(double startTimeSeconds, bool countsDescriptors)
    {
        _startTimeSeconds = startTimeSeconds;
        _countsDescriptors = countsDescriptors;
    }

    /// <summary>The statistics, or null off Linux or where <c>/proc/self/stat</c> cannot be read.</summary>
    public static LinuxProcessStatistics? TryCreate()
    {
        if (!OperatingSystem.IsLinux() || Stat is null)
        {
            return null;
        }

        return new LinuxProcessStatistics(ReadStartTimeSeconds(), CanCountDescriptors());
    }

    public override bool Offers(ProcessStatistic statistic) => statistic switch
    {
        ProcessStatistic.StartTimeSeconds => !double.IsNaN(_startTimeSeconds),
        ProcessStatistic.OpenFileDescriptors => _countsDescriptors,
        ProcessStatistic.MaxFileDescriptors => Limits is not null,
        ProcessStatistic.IoReadBytes or ProcessStatistic.IoWriteBytes => Io is not null,
        _ => true,
    };

    // Scrape path: four system calls on Linux 6.2 and later, into stack buffers; allocates nothing there, and only
    // the listing's enumerator on older kernels.
    public override void Refresh()
    {
        Store(ProcessStatistic.StartTimeSeconds, _startTimeSeconds);
        RefreshStat();
        RefreshLimits();
        RefreshIo();
        RefreshDescriptors();
    }

    private void RefreshStat()
    {
        Span<byte> buffer = stackalloc byte[StatBufferLength];
        var stat = TryRead(Stat!, buffer);
        var parsed = ProcText.TryReadStatField(stat, 14, out var userTicks)
            & ProcText.TryReadStatField(stat, 15, out var systemTicks)
            & ProcText.TryReadStatField(stat, 20, out var threads)
            & ProcText.TryReadStatField(stat, 23, out var virtualBytes)
            & ProcText.TryReadStatField(stat, 24, out var residentPages);
        Store(ProcessStatistic.CpuSeconds, parsed ? (userTicks + systemTicks) / TicksPerSecond : double.NaN);
        Store(ProcessStatistic.Threads, parsed ? threads : double.NaN);
        Store(ProcessStatistic.VirtualMemoryBytes, parsed ? virtualBytes : double.NaN);
        Store(ProcessStatistic.ResidentMemoryBytes, parsed ? residentPages * _pageSize : double.NaN);
    }

    private void RefreshLimits()
    {
        if (Limits is null)
        {
            return;
        }

        Span<byte> buffer = stackalloc byte[LimitsBufferLength];
        var found = ProcText.TryReadLineValue(TryRead(Limits, buffer), "Max open files"u8, out var maxDescriptors);
        Store(ProcessStatistic.MaxFileDescriptors, found ? maxDescriptors : double.NaN);
    }

    private void RefreshIo()
    {
        if (Io is null)
        {
            return;
        }

        Span<byte> buffer = stackalloc byte[IoBufferLength];
        var io = TryRead(Io, buffer);
        // rchar and wchar count every byte passed through read- and write-type system calls, page-cache hits
        // included; read_bytes and write_bytes count only block-device traffic, which is zero on many container
        // file systems.
        Store(ProcessStatistic.IoReadBytes, ProcText.TryReadLineValue(io, "rchar:"u8, out var read) ? read : double.NaN);
        Store(ProcessStatistic.IoWriteBytes, ProcText.TryReadLineValue(io, "wchar:"u8, out var written) ? written : double.NaN);
    }

    private void RefreshDescriptors()
    {
        if (!_countsDescriptors)
        {
            return;
        }

        try
        {
            Store(ProcessStatistic.OpenFileDescriptors, OpenFileDescriptors.Count());
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Store(ProcessStatistic.OpenFileDescriptors, double.NaN);
        }
    }

    /// <summary>The bytes read, or an empty span when the read failed, which every parser then rejects.</summary>
    private static ReadOnlySpan<byte> TryRead(ProcFile file, Span<byte> buffer)
    {
        try
        {
            return buffer[..file.Read(buffer)];
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return default;
        }
    }

    /// <summary>Boot time from <c>/proc/stat</c> plus the process's start in ticks after boot; NaN when either is missing.</summary>
    private static double ReadStartTimeSeconds()
    {
        Span<byte> buffer = stackalloc byte[StatBufferLength];
        if (!ProcText.TryReadStatField(TryRead(Stat!, buffer), 22, out var startTicks))
        {
            return double.NaN;
        }

        try
        {
            return ProcText.TryReadLineValue(File.ReadAllBytes("/proc/stat"), "btime"u8, out var bootTime)
                ? bootTime + (startTicks / TicksPerSecond)
                : double.NaN;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return double.NaN;
        }
    }

    private static bool CanCountDescriptors()
    {
        try
        {
            return OpenFileDescriptors.Count() > 0;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
