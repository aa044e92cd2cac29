using System.Runtime.CompilerServices;

namespace Metrics;

/// <summary>
/// The processor the calling thread runs on, for choosing a stripe: asked of the operating system once every
/// <see cref="RefreshInterval"/> calls on a thread and remembered by the thread in between.
/// </summary>
/// <remarks>
/// Where the runtime finds the system call cheap, <see cref="Thread.GetCurrentProcessorId"/> makes it on every call,
/// and then that call is a large part of a striped observation. A stripe needs the processor only to be
/// right most of the time: a thread that moved to another processor since it last asked writes a stripe that is not
/// its processor's for at most <see cref="RefreshInterval"/> calls, which costs some contention and never a count,
/// since every stripe takes any number of writers. This is the runtime's own cache for slow system calls, kept
/// whatever the speed of the call.
/// </remarks>
internal static class ProcessorHint
{
    /// <summary>How many calls on a thread share one answer of the operating system.</summary>
    public const int RefreshInterval = 32;

    private const int CountdownBits = 8;
    private const int CountdownMask = (1 << CountdownBits) - 1;

    // The processor in the high bits, the calls left before the next refresh in the low ones: one thread-static
    // read and write per call. Zero, a thread's start, asks at once.
    [ThreadStatic]
    private static int t_processorAndCountdown;

    /// <summary>The processor the calling thread ran on a few calls ago at most; not negative.</summary>
    // Hot path: one thread-static read and write; never allocates or blocks.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Current()
    {
        var cached = t_processorAndCountdown;
        if ((cached & CountdownMask) == 0)
        {
            return Refresh();
        }

        t_processorAndCountdown = cached - 1;
        return cached >> CountdownBits;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Refresh()
    {
        var processor = Thread.GetCurrentProcessorId() & (int.MaxValue >> CountdownBits);
        t_processorAndCountdown = (processor << CountdownBits) | (RefreshInterval - 1);
        return processor;
    }
}
