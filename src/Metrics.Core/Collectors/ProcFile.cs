using Microsoft.Win32.SafeHandles;

namespace Metrics;

/// <summary>
/// A <c>/proc</c> file kept open for the life of the process and read from offset 0 at each collection. procfs
/// builds the text afresh on every read at offset 0, so keeping the handle saves an open and a close per scrape,
/// and reading into the caller's stack buffer allocates nothing.
/// </summary>
internal sealed class ProcFile
{
    private readonly SafeFileHandle _handle;

    private ProcFile(SafeFileHandle handle) => _handle = handle;

    /// <summary>The open file, or null where it does not exist or cannot be read, as <c>/proc/self/io</c> in some sandboxes.</summary>
    public static ProcFile? TryOpen(string path)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        var file = new ProcFile(handle);
        try
        {
            // Some sandboxes let the file open and then refuse the read.
            file.Read(stackalloc byte[64]);
            return file;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            handle.Dispose();
            return null;
        }
    }

    /// <summary>Reads the file from its start into <paramref name="buffer"/>; returns the bytes read, at most the buffer's length.</summary>
    /// <exception cref="IOException">The read failed.</exception>
    public int Read(Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = RandomAccess.Read(_handle, buffer[total..], total);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }
}
