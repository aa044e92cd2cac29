namespace Metrics;

/// <summary>The process figures a <see cref="ProcessStatistics"/> source may offer, one per exposed metric.</summary>
internal enum ProcessStatistic
{
    CpuSeconds,
    StartTimeSeconds,
    ResidentMemoryBytes,
    VirtualMemoryBytes,
    OpenFileDescriptors,
    MaxFileDescriptors,
    Threads,
    IoReadBytes,
    IoWriteBytes,
}
