using System.IO.Enumeration;
using System.Runtime.InteropServices;

namespace Metrics;

/// <summary>
/// Counts the process's open file descriptors. On Linux 6.2 and later the size that <c>statx</c> reports for
/// <c>/proc/self/fd</c> is that count: one system call, however many sockets a busy gateway holds. Older kernels
/// report 0 there, and where that or the call itself is missing the count comes from listing
/// <c>/proc/self/fdinfo</c>, whose cost grows with the descriptors.
/// </summary>
internal static class OpenFileDescriptors
{
    private const int CurrentDirectory = -100; // AT_FDCWD
    private const uint SizeField = 0x200; // STATX_SIZE
    private const int StatxLength = 256; // sizeof(struct statx)
    private const int SizeOffset = 40; // offsetof(struct statx, stx_size), the same on every architecture

    private static readonly byte[] DescriptorDirectory = "/proc/self/fd\0"u8.ToArray();

    [ThreadStatic]
    private static byte[]? t_statx;

    private static readonly bool SizeIsCount = ProbeSize();

    /// <summary>How many file descriptors the process has open.</summary>
    /// <exception cref="IOException">The descriptors could not be counted, for example because none was left to list them with.</exception>
    public static int Count() => SizeIsCount && TryReadSize(out var count) ? count : CountByListing();

    /// <summary>Whether <see cref="Count"/> takes one <c>statx</c> call rather than a listing.</summary>
    internal static bool CountsWithOneCall => SizeIsCount;

    /// <summary>The count from listing <c>/proc/self/fdinfo</c>.</summary>
    internal static int CountByListing() => DescriptorListing.Count();

    private static bool ProbeSize()
    {
        try
        {
            return TryReadSize(out var count) && count > 0;
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    private static bool TryReadSize(out int count)
    {
        var buffer = t_statx ??= new byte[StatxLength];
        count = Statx(CurrentDirectory, DescriptorDirectory, 0, SizeField, buffer) == 0
            ? (int)BitConverter.ToUInt64(buffer, SizeOffset)
            : 0;
        return count > 0;
    }

    // The byte arrays are pinned, not copied: no allocation per call.
    [DllImport("libc", EntryPoint = "statx")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Statx(int directory, byte[] path, int flags, uint mask, byte[] buffer);

    /// <summary>
    /// Lists <c>/proc/self/fdinfo</c>, which has one entry per descriptor, as <c>/proc/self/fd</c> has, without
    /// building a string per entry. Not <c>/proc/self/fd</c> itself: its entries are symbolic links, and .NET's
    /// enumeration stats every link's target to learn whether it is a directory, microseconds per descriptor.
    /// </summary>
    private sealed class DescriptorListing : FileSystemEnumerator<bool>
    {
        private static readonly EnumerationOptions Options = new() { AttributesToSkip = 0, IgnoreInaccessible = false };

        private DescriptorListing()
            : base("/proc/self/fdinfo", Options)
        {
        }

        public static int Count()
        {
            using var entries = new DescriptorListing();
            var count = 0;
            while (entries.MoveNext())
            {
                count++;
            }

            return count;
        }

        protected override bool TransformEntry(ref FileSystemEntry entry) => true;
    }
}
