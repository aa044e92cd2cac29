using System.IO.Enumeration;

namespace Metrics;

/// <summary>
/// Counts the open file descriptors by listing <c>/proc/self/fdinfo</c>, which has one entry per descriptor, as
/// <c>/proc/self/fd</c> has, without building a string per entry. The descriptor of the directory being listed is
/// among them, as in client_golang's count.
/// </summary>
/// <remarks>
/// Not <c>/proc/self/fd</c>: its entries are symbolic links, and .NET's enumeration stats every link's target to
/// learn whether it is a directory, which costs microseconds per descriptor. The entries of <c>fdinfo</c> are
/// plain files that the listing itself describes.
/// </remarks>
internal sealed class OpenFileDescriptors : FileSystemEnumerator<bool>
{
    private const string Directory = "/proc/self/fdinfo";

    // No attribute filter: an attribute check could stat each descriptor's target.
    private static readonly EnumerationOptions Options = new() { AttributesToSkip = 0, IgnoreInaccessible = false, RecurseSubdirectories = false };

    private OpenFileDescriptors()
        : base(Directory, Options)
    {
    }

    /// <summary>How many file descriptors the process has open.</summary>
    /// <exception cref="IOException">The directory could not be listed, for example because no descriptor was left to list it with.</exception>
    public static int Count()
    {
        using var entries = new OpenFileDescriptors();
        var count = 0;
        while (entries.MoveNext())
        {
            count++;
        }

        return count;
    }

    protected override bool TransformEntry(ref FileSystemEntry entry) => true;
}
